"""定时发布 (R-FLOW-2): publish approved pages when their time comes, unpublish expired ones;
re-screen published content once the screening lexicon has changed (R-SCREEN-1); and 督办 the
mailbox's letters — reminders, escalation of overdue letters, the 3-month warning (R-MAIL-3,
R-MAIL-5; ``govsite.mailbox.cases.supervise``, which acts on each letter once).

Runs Wagtail's ``publish_scheduled`` every ``--interval`` seconds until stopped (Ctrl-C or
SIGTERM), logging what each run published or took offline. One failing run is logged and the
next one tries again. ``--once`` runs a single time (tests, cron).

One tick for the whole site (``claim_tick``): time is cut into windows of ``--interval`` seconds
counted from the epoch, the loop wakes at the start of each window, and a scheduler acts on a
window only after claiming it with ``cache.add`` (atomic SET NX on Redis) under a key that
expires after two windows. With several app servers each running a scheduler (or a cron
``--once`` each) and the shared cache (``REDIS_URL``), exactly one of them acts per window; the
others log that the tick was taken and wait for the next. Without a shared cache the claim is
process-local, so run exactly one scheduler per database; see docs/operations.md and
docs/serving.md. Give every scheduler the same ``--interval``.
"""

import logging
import os
import signal
import socket
import threading
import time
import uuid
from io import StringIO

from django.core.cache import cache
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
TICK_KEY = "govsite.workflow.scheduler.tick"
# Who claims a tick: this process. A process may act on a window it claimed again (``--once``
# twice within a minute, tests); any other process may not.
OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def window_of(now, interval):
    """The start (seconds since the epoch) of the ``interval``-second window holding ``now``."""
    return int(now // interval * interval)


def claim_tick(interval, now=None, owner=None):
    """True when this scheduler may act on the current window: it claimed it, or had already.
    False when another scheduler holds it. Raises when the cache cannot be reached."""
    owner = owner or OWNER
    key = f"{TICK_KEY}.{window_of(time.time() if now is None else now, interval)}"
    if cache.add(key, owner, timeout=2 * interval):
        return True
    return cache.get(key) == owner


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
            claimed = self.claim(interval)
            if claimed is None:
                raise CommandError("定时任务锁不可用（共享缓存连接失败），本轮未运行。")
            if not claimed:
                self.stdout.write("本轮已由另一台服务器上的定时任务执行。")
                return
            done = self.run_once()
            self.rescreen_if_due()
            self.supervise_letters()
            self.reindex_search_if_due()
            self.purge_audit_log_if_due()
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
                if self.claim(interval):
                    self.run_once()
                    self.rescreen_if_due()
                    self.supervise_letters()
                    self.reindex_search_if_due()
                    self.purge_audit_log_if_due()
                # Wake at the start of the next window, as every other scheduler does.
                stop.wait(interval - time.time() % interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            logger.info("定时发布已停止。")

    def claim(self, interval):
        """``claim_tick``, logged: True to act, False when another scheduler has this tick,
        None when the cache is unreachable (the tick is skipped: ``publish_scheduled`` catches
        up on the next one, while two schedulers acting at once would not be noticed)."""
        try:
            claimed = claim_tick(interval)
        except Exception:
            logger.exception("定时任务锁不可用（共享缓存连接失败），本轮跳过。")
            return None
        if not claimed:
            logger.info("本轮已由另一台服务器上的定时任务执行，跳过。")
        return claimed

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

    def reindex_search_if_due(self):
        """SPEC §11: after the search dictionary changed (and then stayed quiet), rebuild the
        search index so that pages indexed earlier are cut with the new words. A failure is
        logged; the next run tries again."""
        from govsite.search.reindex import reindex, reindex_due

        close_old_connections()
        try:
            if reindex_due():
                started = timezone.now()
                reindex()
                logger.info("搜索词典已修改，搜索索引已重建（用时 %s）。", timezone.now() - started)
        except Exception:
            logger.exception("搜索索引重建失败，下次再试。")
        finally:
            close_old_connections()

    def purge_audit_log_if_due(self):
        """R-SEC-4: once a day, remove the audit entries past the retention (never younger than
        180 days; ``govsite.audit.retention``). A failure is logged; the next run tries again."""
        from govsite.audit.retention import purge, purge_due

        close_old_connections()
        try:
            if purge_due():
                logger.info("审计日志保留期清理：删除 %d 条过期记录。", purge())
        except Exception:
            logger.exception("审计日志保留期清理失败，下次再试。")
        finally:
            close_old_connections()

    def report(self, done):
        for entry in done:
            self.stdout.write(f"{SCHEDULED_ACTIONS[entry.action]}：《{entry.label}》")
        if not done:
            self.stdout.write("没有到时需要发布或下线的内容。")
