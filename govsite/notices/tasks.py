"""A notice's e-mail copy, sent by a task after the step that made the notice has committed
(R-FLOW-6): a mail server that is down never fails or slows the user's action, and the mail is
tried again later."""

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# After a failed attempt, the next one waits this long; after the last, the mail is given up
# (the notice itself is in the admin whatever happens to its copy).
RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30)]


@task
def send_notice_mail(subject, body, address, attempt=1):
    try:
        send_mail(subject, body, None, [address])
    except OSError:  # smtplib's errors included
        if attempt > len(RETRY_DELAYS):
            logger.error("通知邮件未能发出，已放弃（%s → %s，%d 次）", subject, address, attempt)
            return False
        logger.warning(
            "通知邮件未能发出（%s → %s），稍后重试（第 %d 次）",
            subject,
            address,
            attempt,
            exc_info=True,
        )
        retry = send_notice_mail
        if retry.get_backend().supports_defer:  # a backend that cannot wait retries at once
            retry = retry.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
        retry.enqueue(subject, body, address, attempt=attempt + 1)
        return False
    return True
