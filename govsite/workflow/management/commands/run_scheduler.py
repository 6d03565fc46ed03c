"""定时发布 (R-FLOW-2): publish approved pages when their time comes, unpublish expired ones;
re-screen published content once the screening lexicon has changed (R-SCREEN-1); and 督办 the
mailbox's letters — reminders, escalation of overdue letters, the 3-month warning (R-MAIL-3,
R-MAIL-5; ``govsite.mailbox.cases.supervise``, which acts on each letter once).

Runs Wagtail's ``publish_scheduled`` every ``--interval`` seconds until stopped (Ctrl-C or
SIGTERM), logging what each run published or took offline. One failing run is logged and the
next one tries again. ``--once`` runs a single time (tests, cron). Run exactly one scheduler
per database; see docs/operations.md.
"""

import logging
import signal
import threading
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

logger = logging.getLogger("govsite.workflow.scheduler")

SCHEDULED_ACTIONS = {
    "wagtail.publish.scheduled": "定时发布",
    "wagtail.unpublish.scheduled": "到期下线",
}
STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM]


class Command(BaseCommand):
    help = "定时发布：每隔 N 秒运行一次 publish_scheduled，直到被中断。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="两次运行之间的秒数（默认 60）。",
        )
        parser.add_argument("--once", action="store_true", help="只运行一次，然后退出。")

    def handle(self, *args, interval, once, **options):
        if interval < 1:
            raise CommandError("--interval 至少为 1 秒。")
        if once:
            done = self.run_once()
            self.rescreen_if_due()
            self.supervise_letters()
            if done is None:
                raise CommandError("定时发布运行失败，详见日志。")
            self.report(done)
            return
        stop = threading.Event()
        # Ctrl-C or SIGTERM (systemd, `make run`) ends the wait; a run in progress finishes.
        previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
        logger.info("定时发布已启动：每 %d 秒检查一次。", interval)
        try:
            while not stop.is_set():
                self.run_once()
                self.rescreen_if_due()
                self.supervise_letters()
                stop.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            logger.info("定时发布已停止。")

    def run_once(self):
        """One run of ``publish_scheduled``: the log entries of what it did, None if it failed."""
        close_old_connections()  # a long-lived process must not keep a dropped connection
        started = timezone.now()
        try:
            call_command("publish_scheduled", stdout=StringIO())
            done = [
                entry
                for model in (PageLogEntry, ModelLogEntry)
                for entry in model.objects.filter(
                    action__in=SCHEDULED_ACTIONS, timestamp__gte=started
                ).order_by("timestamp", "pk")
            ]
            for entry in done:
                logger.info(
                    "%s：《%s》（%s，ID %s）",
                    SCHEDULED_ACTIONS[entry.action],
                    entry.label,
                    entry.object_verbose_name,
                    entry.page_id if isinstance(entry, PageLogEntry) else entry.object_id,
                )
        except Exception:
            logger.exception("定时发布本次运行失败，下次再试。")
            return None
        finally:
            close_old_connections()
        return done

    def rescreen_if_due(self):
        """R-SCREEN-1: after the lexicon changed (and then stayed quiet), re-screen what is
        published. A failure is logged; the next run tries again."""
        from govsite.screening.rescreen import rescreen_due, rescreen_published

        close_old_connections()
        try:
            if rescreen_due():
                run = rescreen_published()
                logger.info(
                    "已发布信息复查：检查 %d 条，%d 条未通过。",
                    run.pages_checked,
                    len(run.flagged),
                )
        except Exception:
            logger.exception("已发布信息复查失败，下次再试。")
        finally:
            close_old_connections()

    def supervise_letters(self):
        """督办 (R-MAIL-3, R-MAIL-5): remind sections before a deadline, escalate overdue
        letters, warn of letters near the 3-month limit. A failure is logged; the next run
        tries again."""
        from govsite.mailbox import cases

        close_old_connections()
        try:
            reminded, escalated, near_limit = cases.supervise()
            if reminded or escalated or near_limit:
                logger.info(
                    "来信督办：到期提醒 %d 件，超期督办 %d 件，将满 3 个月未答复 %d 件。",
                    reminded,
                    escalated,
                    near_limit,
                )
        except Exception:
            logger.exception("来信督办失败，下次再试。")
        finally:
            close_old_connections()

    def report(self, done):
        for entry in done:
            self.stdout.write(f"{SCHEDULED_ACTIONS[entry.action]}：《{entry.label}》")
        if not done:
            self.stdout.write("没有到时需要发布或下线的内容。")
