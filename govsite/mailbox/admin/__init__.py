"""The mailbox for the office's staff (沟通信箱 in the admin, 第十一、十三条; R-MAIL-2..5).

    worklist   what waits for whom: the menu's number and the dashboard's counts
    letters    the case list, one letter with the steps its reader may take now, its
               attachment and its print
    steps      those steps: each a form and the ``cases`` function it takes, offered when the
               letter's table (``lifecycle.LETTER``) allows it
    handoff    the 区长电子信箱 hand-off: the package, its print, the import of its result
    summary    整理上报: the period's summary, printed and exported
    forms      the forms of all of them
    urls       their addresses, under /admin/mailbox/

Thin: who may read a letter is ``rules``, who may take a step is the table, every step is a
``cases`` function. The public's side is ``pages`` (the MailboxPage and its routes), ``forms``
and ``captcha``.
"""
