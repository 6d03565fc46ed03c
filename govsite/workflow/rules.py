"""Who reviews what (第十四条; R-FLOW-2, R-FLOW-3, R-FMT-3): the rules in one place.

Reviewers are computed from the page, never configured per page: the chief(s) of the section
that owns the page's sub-column, then a director who supervises that section, and for content
carrying audio or video the chief(s) of the section that signs off media (信息中心). Moving a
column to another section therefore moves its reviewers. Nobody ever approves their own
submission, whatever roles they hold.
"""

from pathlib import PurePosixPath

from django.conf import settings

from govsite.sections import roles
from govsite.sections.rules import SectionOwners, is_chief_of, is_director_of, signs_off_media

# 第十七条: audio and video documents go online only after 信息中心 signs them off (R-FMT-3).
AUDIO_VIDEO_EXTENSIONS = set(settings.GOVSITE_AUDIO_VIDEO_EXTENSIONS)


def is_own_submission(user, workflow_state):
    """The submitter, and the author of the version under review, never approve it."""
    if workflow_state is None:
        return False
    authors = {workflow_state.requested_by_id}
    current = workflow_state.current_task_state
    if current is not None and current.revision_id:
        authors.add(current.revision.user_id)
    return user.pk in authors


def document_extension(document):
    return PurePosixPath(document.file.name).suffix.lstrip(".").lower()


def carries_audio_or_video(page):
    """R-FMT-3: content with an audio or video attachment or body link needs 信息中心 (an object
    that is not a page, such as a survey, carries neither)."""
    from wagtail.documents import get_document_model
    from wagtail.rich_text import extract_references_from_rich_text

    page = getattr(page, "specific", page)
    documents = [a.document for a in page.attachments.all()] if hasattr(page, "attachments") else []
    linked_ids = []
    for block in getattr(page, "body", None) or []:
        if block.block_type == "paragraph":
            for model, object_id, _, _ in extract_references_from_rich_text(block.value.source):
                if model is get_document_model():
                    linked_ids.append(object_id)
    documents += list(get_document_model().objects.filter(pk__in=linked_ids))
    return any(document_extension(d) in AUDIO_VIDEO_EXTENSIONS for d in documents)


# Who may read the 审核记录 (R-FLOW-4) ----------------------------------------------------------


def may_read_office_record(user):
    """The office-wide record: 综合科's site managers, the auditors and the superusers."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_govsite_reads_office_record", None)
    if cached is None:  # asked once per row of a page listing: once per request is enough
        office_groups = [roles.SITE_MANAGERS, roles.AUDIT_ADMINS]
        cached = user._govsite_reads_office_record = user.groups.filter(
            name__in=office_groups
        ).exists()
    return cached


def _section_owners(user):
    """``SectionOwners`` read once per user object (once per request): a director reading a
    column asks this for every row of the listing."""
    owners = getattr(user, "_govsite_section_owners", None)
    if owners is None:
        owners = user._govsite_section_owners = SectionOwners()
    return owners


def may_read_page_record(user, page):
    """A page's record: whoever may edit it or review it, and whoever acted on it before."""
    if not (user.is_authenticated and user.is_active) or page.is_root():
        return False
    if may_read_office_record(user) or page.permissions_for_user(user).can_edit():
        return True
    section = _section_owners(user).of(page)
    if is_chief_of(user, section) or is_director_of(user, section):
        return True
    from wagtail.models import TaskState

    from .models import MediaSignOffTask

    task_states = TaskState.objects.for_instance(page)
    if task_states.filter(finished_by=user).exists():
        return True  # e.g. the chief of a section the column has since moved away from
    # 信息中心 reviews only what carries audio or video: the pages whose media step ran.
    return (
        signs_off_media(user)
        and task_states.filter(task__in=MediaSignOffTask.objects.all())
        .exclude(status=TaskState.STATUS_SKIPPED)
        .exists()
    )
