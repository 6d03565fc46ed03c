"""The app's hooks load without undoing another app's wiring."""

from wagtail.signals import (
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)


def test_wagtails_own_workflow_emails_stay_disconnected():
    """``wagtail_hooks`` is imported before ``wagtail.admin`` is ready; importing the workflow's
    notices from it at module level would let Wagtail reconnect the e-mails they replace."""
    for signal in (task_submitted, workflow_submitted, workflow_rejected, workflow_approved):
        uids = [receiver[0][0] for receiver in signal.receivers]
        assert not [uid for uid in uids if isinstance(uid, str) and "email" in uid], uids
