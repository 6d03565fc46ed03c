"""R-SURVEY-1 (第十一、十四条): who builds, reviews and reads surveys; answers only while a
published survey is open, one answer per visitor.

Surveys belong to the section that owns the 服务满意度调查 sub-column (``owning_section``,
综合科 by default): moving the column to another section moves the duty. Its officers and its
chief build and edit surveys and submit them for review; the review chain (govsite.workflow:
screening, the chief, the director) decides who approves, and nobody approves their own
submission; nobody publishes directly but a superuser. The section's staff, its directors and
superusers read the results and export the answer sheets. 综合科-网站管理 keeps the surveys'
settings only (the daily cap), as it keeps the site's structure.

Without a login "one per visitor" can only be best effort; two checks together make it hard to
answer twice by accident and tedious to do on purpose:

- a signed cookie per survey, set when an answer sheet is accepted (this browser has answered);
- a daily cap on answer sheets from one network address (``SurveySettings``). The address is
  kept only as ``client_hash``: HMAC-SHA256 keyed with SECRET_KEY of the survey and the
  address, so no address is ever stored and the hashes of two surveys cannot be linked.

The public view, and anything else that takes answers, goes through ``refusal`` and ``submit``.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from govsite import clients
from govsite.clients import source_of
from govsite.sections.rules import is_active_user, is_director_of, is_staff_of, owning_section

from .models import Answer, Response, Survey, SurveyColumnPage, SurveySettings

# Who may do what in the admin -------------------------------------------------------------------


def survey_section():
    """The section that owns the 服务满意度调查 sub-column, which runs the surveys (第十一条)."""
    column = SurveyColumnPage.objects.order_by("path").first()
    return owning_section(column) if column is not None else None


def _section_for(user):
    """``survey_section()``, read once per user object (a listing asks for every row)."""
    if not hasattr(user, "_govsite_survey_section"):
        user._govsite_survey_section = survey_section()
    return user._govsite_survey_section


def may_build_surveys(user):
    """Create, edit and submit surveys: the owning section's officers and chief (第七、十一条)."""
    if not is_active_user(user):
        return False
    return user.is_superuser or is_staff_of(user, _section_for(user))


def may_read_results(user):
    """See the surveys, read their results and export the answer sheets: the owning section's
    staff, the directors who supervise it, and superusers."""
    if not is_active_user(user):
        return False
    section = _section_for(user)
    return user.is_superuser or is_staff_of(user, section) or is_director_of(user, section)


def may_publish_directly(user):
    """Publish or unpublish without the review chain: nobody but a superuser (第十四条)."""
    return is_active_user(user) and user.is_superuser


ACTIONS = {
    "add": may_build_surveys,
    "change": may_build_surveys,
    "view": may_read_results,
    "publish": may_publish_directly,
}


def may(user, action):
    """Whether ``user`` may take ``action`` (Wagtail's names: add, change, view, publish, delete,
    lock, unlock) on surveys; what is not listed (deleting, locking by hand) is a superuser's."""
    rule = ACTIONS.get(action)
    if rule is None:
        return is_active_user(user) and user.is_superuser
    return rule(user)


# Answering ------------------------------------------------------------------------------------

COOKIE_SALT = "govsite.surveys.answered"
HASH_SALT = "govsite.surveys.client"
COOKIE_MAX_AGE = timedelta(days=400)


class Refused(Exception):
    """An answer sheet that may not be accepted; ``message`` says why, politely, in Chinese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def client_address(request):
    """The visitor's source (the mailbox's rule: trusted proxies, IPv6 by its /64)."""
    return source_of(clients.client_address(request))


def client_hash(request, survey):
    """HMAC-SHA256 keyed with SECRET_KEY of the survey and the visitor's address."""
    value = f"{survey.pk}|{client_address(request)}"
    return salted_hmac(HASH_SALT, value, algorithm="sha256").hexdigest()


def cookie_name(survey):
    return f"govsite_survey_{survey.pk}"


def has_answered(request, survey):
    value = request.get_signed_cookie(cookie_name(survey), default=None, salt=COOKIE_SALT)
    return value == str(survey.pk)


def remember_answer(response, survey):
    """Mark this browser as having answered ``survey`` (a signed, HTTP-only cookie)."""
    response.set_signed_cookie(
        cookie_name(survey),
        str(survey.pk),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def address_limit_reached(survey, hashed, now=None):
    limit = SurveySettings.load().answers_per_address_per_day
    day = timezone.localtime(now or timezone.now()).date()
    return Response.objects.filter(survey=survey).from_client(hashed).on_day(day).count() >= limit


def refusal(request, survey, now=None):
    """Why an answer sheet for ``survey`` from this visitor is refused now, or None."""
    now = now or timezone.now()
    if not survey.live:
        return "本次调查已不在网站上，不再接受答卷。"
    if not survey.has_started(now):
        opens = timezone.localtime(survey.opens_at)
        return f"本次调查尚未开始，将于 {opens:%Y-%m-%d %H:%M} 开始接受答卷。"
    if survey.has_closed(now):
        closes = timezone.localtime(survey.closes_at)
        return f"本次调查已于 {closes:%Y-%m-%d %H:%M} 结束，不再接受答卷。感谢您的关注！"
    if has_answered(request, survey):
        return "您已经参加过本次调查，感谢您的支持！"
    if address_limit_reached(survey, client_hash(request, survey), now):
        return (
            "您所在的网络今天提交本次调查的答卷已达上限，感谢您的支持！"
            "如还有意见建议，欢迎通过沟通信箱反映。"
        )
    return None


def submit(request, survey, answers):
    """Record an answer sheet (unsaved ``Answer``s without their response) or raise Refused.

    The survey row is locked while the rules are checked again and the sheet is saved, so two
    sheets sent at the same moment from one address cannot both slip under the cap."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        now = timezone.now()
        reason = refusal(request, survey, now)
        if reason:
            raise Refused(reason)
        response = Response.objects.create(
            survey=survey, submitted_at=now, client_hash=client_hash(request, survey)
        )
        for answer in answers:
            answer.response = response
        Answer.objects.bulk_create(answers)
    return response
