"""Re-screening what is already published when the lexicon changes (R-SCREEN-1..3, 第十九条).

A term added today must also find what went online last year. ``rescreen_published`` screens
the live version of every published article and profile with the current lexicon, records
the run, and tells the owning section's officers and chiefs and 综合科 about every page that
now fails, so that it is corrected or withdrawn through the review chain (R-FLOW-5).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from govsite.columns.models import ContentPage, content_page_models
from govsite.jobs.runner import read_in_chunks
from govsite.notices.delivery import notify
from govsite.sections import roles

from .engine import blocking, current_lexicon, screen_page
from .models import LexiconVersion, RescreenRun

# The scheduler waits until the lexicon has been quiet this long, so that a session of edits
# leads to one re-screening, not one per edit.
QUIET_PERIOD = timedelta(minutes=10)
# Pages screened between two saves of the run's progress.
CHUNK = 100


def published_pages():
    return Page.objects.live().type(*content_page_models()).specific().order_by("pk")


def rescreen_published(*, notify=True, run=None, progress=None):
    """Screen every published page with the lexicon as it is now; return the recorded run.

    The run is saved every ``CHUNK`` pages with the last page it reached, so that a ``run``
    interrupted (its worker killed) goes on from there when given again. ``progress(run)`` is
    called after each chunk."""
    run = run or RescreenRun.objects.create(lexicon_stamp=current_lexicon().stamp)
    pages = published_pages().filter(pk__gt=run.checked_up_to)
    for number, page in enumerate(read_in_chunks(pages, CHUNK), start=1):
        run.pages_checked += 1
        run.checked_up_to = page.pk
        failed = blocking(screen_page(page, warnings=False))
        if failed:
            run.flagged.append(
                {
                    "page": page.pk,
                    "title": page.title,
                    "section": str(page.source_section or ""),
                    "findings": [finding.describe() for finding in failed],
                }
            )
        if number % CHUNK == 0:
            run.save(update_fields=["pages_checked", "checked_up_to", "flagged"])
            if progress is not None:
                progress(run)
    run.finished_at = timezone.now()
    run.save()
    if notify:
        notify_flagged(run)
    return run


def notify_flagged(run):
    """Each flagged page to its section's officers and chiefs; the whole run to 综合科."""
    users = get_user_model().objects.filter(is_active=True)
    pages = Page.objects.filter(pk__in=[item["page"] for item in run.flagged]).specific()
    for page in pages:
        if not isinstance(page, ContentPage) or page.source_section is None:
            continue
        section = page.source_section
        item = next(item for item in run.flagged if item["page"] == page.pk)
        for user in users.filter(
            groups__in=[section.officer_group, section.chief_group]
        ).distinct():
            notify(
                user,
                f"已发布信息复查未通过：《{page.title}》",
                "按更新后的审查词库复查，这条已发布的信息有问题，请修改后重新提交审核，"
                "或申请撤销：\n" + "\n".join(item["findings"]),
                reverse("wagtailadmin_pages:edit", args=[page.pk]),
            )
    if run.flagged:
        for user in users.filter(groups__name=roles.SITE_MANAGERS):
            notify(
                user,
                f"已发布信息复查：{len(run.flagged)} 条有问题",
                f"共检查 {run.pages_checked} 条已发布信息，{len(run.flagged)} 条未通过，"
                "已通知各负责科室。",
                reverse("screening_rescreen:report"),
            )


def rescreen_due(now=None):
    """True when the lexicon changed since the last run and has been quiet since."""
    now = now or timezone.now()
    version = LexiconVersion.objects.filter(pk=1).first()
    if version is None:
        return False
    last = RescreenRun.objects.finished().first()
    if last is not None and last.lexicon_stamp == version.stamp:
        return False
    if last is None and not published_pages().exists():
        return False
    return now - version.changed_at >= QUIET_PERIOD
