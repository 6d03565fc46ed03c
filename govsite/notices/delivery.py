"""How the office tells a member of staff something (R-FLOW-6): an in-admin notice, and a copy
by e-mail where they have an address. The review chain, change requests, letters and the
re-screening of published pages all call ``notify``."""

from functools import partial

from django.conf import settings
from django.db import transaction

from .models import Notice
from .tasks import send_notice_mail

NOBODY = "系统"


def actor_name(user, nobody=NOBODY):
    """How a notice names whoever acted: the full name, else the account; ``nobody`` for none."""
    return (user.get_full_name() or user.username) if user else nobody


def notify(user, title, text="", url="", task_state=None):
    """An in-admin notice, and an e-mail where the user has an address. ``task_state``: the
    review step the notice asks the user to decide (settled by the review chain once decided)."""
    if user is None or not user.is_active:
        return None
    notice = Notice.objects.create(
        recipient=user, title=title, text=text, url=url, task_state=task_state
    )
    if user.email:
        link = f"{settings.WAGTAILADMIN_BASE_URL}{url}" if url else ""
        body = f"{text}\n\n{link}".strip()
        transaction.on_commit(
            partial(send_notice_mail.enqueue, f"【网站审核】{title}", body, user.email)
        )
    return notice
