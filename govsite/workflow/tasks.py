"""定时发布 (R-FLOW-2) as a periodic task: publish approved pages when their time comes and take
expired ones offline, through Wagtail's own ``publish_scheduled``, logging each."""

import logging
from io import StringIO

from crontask import cron
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

logger = logging.getLogger(__name__)

SCHEDULED_ACTIONS = {
    "wagtail.publish.scheduled": "定时发布",
    "wagtail.unpublish.scheduled": "到期下线",
}


@cron("* * * * *")
@task
def publish_scheduled():
    """Every minute: what an approved revision's 发布时间 or a page's 下线时间 says is due."""
    started = timezone.now()
    call_command("publish_scheduled", stdout=StringIO())
    done = [
        f"{SCHEDULED_ACTIONS[entry.action]}：《{entry.label}》"
        for model in (PageLogEntry, ModelLogEntry)
        for entry in model.objects.filter(
            action__in=SCHEDULED_ACTIONS, timestamp__gte=started
        ).order_by("timestamp", "pk")
    ]
    for line in done:
        logger.info(line)
    return done
