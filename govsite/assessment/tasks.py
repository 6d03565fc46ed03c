"""监督考核's background work: the 考核表 export (R-ASSESS-2)."""

from django.utils import timezone

from govsite.jobs import runner, storage
from govsite.sections.models import Section

from . import exports
from .forms import period_scores


@runner.job_task
def export_scores_job(job, values, section_ids):
    """第二十二条: the 考核表 of a period (``values``: ``ScorePeriodForm.values``) for the
    sections the requester saw (``section_ids``), written as .xlsx and kept as the job's
    result for the requester."""
    sections = list(Section.objects.filter(pk__in=section_ids).order_by("sort_order", "name"))
    scores = period_scores(values, sections)
    name = exports.filename(scores)
    storage.save_result(job, name, exports.assessment_bytes(scores, timezone.localtime()))
    return f"已导出{scores.label}考核表（{len(scores.rows)} 个科室），可以下载。"
