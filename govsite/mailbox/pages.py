"""沟通信箱 on the public site (第十一条 在线交流; R-MAIL-1, R-MAIL-5, R-MAIL-7): the sub-column
page where the public writes a letter, tracks it with its query code, rates the reply, reads
the published letters and the monthly statistics.

The page is a ``SubColumnPage`` (owned by 综合科, articles may be posted in it as in any
sub-column) with routes of its own:

    ./               留言须知, the buttons, the published letters (paged) and notices
    ./write/         the letter form; ./write/captcha/ its image
    ./done/          the tracking number and query code, shown once
    ./track/         number + query code → status and reply (and the rating form, R-MAIL-7)
    ./rate/          number + query code + rating → the writer's rating of the reply, once
    ./letter/<no>/   one published letter, personal data masked
    ./stats/         the monthly statistics (?month=YYYY-MM, from the mailbox's first month
                     to this one; any other month is not found)

Views stay thin: the steps are ``cases``, the checks ``forms``/``captcha``/``govsite.clients``.
"""

import logging
import re
from dataclasses import dataclass
from datetime import date

from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from wagtail.admin.panels import HelpPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from govsite import clients
from govsite.columns.models import SubColumnPage, published_content

from . import captcha, cases, masking, reports
from .forms import LetterForm, RatingForm, TrackForm
from .models import Letter, MailboxSettings

logger = logging.getLogger("govsite.mailbox.public")

ACCEPTED_KEY = "govsite.mailbox.accepted"
NOTICES_ON_INDEX = 5
STATS_MONTHS = 12
MONTH = re.compile(r"^(\d{4})-(\d{2})$")

UNIFORM_REFUSAL = (
    "编号或查询码不正确，请核对后重新输入。信件编号形如 GT-20261124-0001；查询码是提交信件时"
    "显示的 16 位字母和数字，不区分大小写，可以不输入“-”。查询码遗失的无法找回，"
    "可重新写信并注明原信件的标题和提交时间。"
)
# The headings above a refusal: a wrong number or code (or too many tries) is a failed
# look-up, whichever form it came from; a refused rating says so.
TRACK_FAILED, RATING_FAILED = "查询失败", "未能评价"


@dataclass
class PublishedLetter:
    """A published letter as the public sees it: personal data masked (R-MAIL-5)."""

    number: str
    url: str
    kind: str
    writer: str
    subject: str
    text: str
    received: date
    replied: date | None
    department: str
    reply: str

    @classmethod
    def of(cls, letter, url=""):
        names = [letter.name]
        return cls(
            number=letter.tracking_number,
            url=url,
            kind=letter.get_kind_display(),
            writer=masking.mask_name(letter.name),
            subject=masking.mask(letter.subject, names=names),
            text=masking.mask(letter.text, names=names),
            received=timezone.localdate(letter.received_at),
            replied=timezone.localdate(letter.replied_at) if letter.replied_at else None,
            department=letter.reply_department,
            reply=masking.mask(letter.reply, names=names),
        )


def month_before(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


def month_after(year, month):
    return (year + 1, 1) if month == 12 else (year, month + 1)


class MailboxPage(RoutablePageMixin, SubColumnPage):
    """沟通信箱 (第十一条): the public's letters, from writing to the published reply
    (R-MAIL-1, R-MAIL-5). Its limits and 留言须知 are 沟通信箱设置 (``MailboxSettings``)."""

    template = "mailbox/public/mailbox_page.html"
    max_count = 1

    content_panels = [
        *SubColumnPage.content_panels,
        HelpPanel(
            content="留言须知、来信和查询的次数限制、附件大小在“设置 › 沟通信箱设置”中修改；"
            "来信在“沟通信箱”菜单中办理。"
        ),
    ]

    class Meta:
        verbose_name = "沟通信箱"

    # Helpers -------------------------------------------------------------------------------

    def route_url(self, request, name, *args):
        return self.get_url(request) + self.reverse_subpage(name, args=args)

    def route_urls(self, request):
        """The routes every mailbox page links to."""
        urls = {name: self.route_url(request, name) for name in ("write", "track", "rate", "stats")}
        return urls | {"index": self.get_url(request)}

    def _render(self, request, template, heading, **context):
        """A route's page: the sub-column's layout with ``heading`` as the last breadcrumb."""
        return TemplateResponse(
            request,
            template,
            {"page": self, "self": self, "request": request, "heading": heading}
            | {"urls": self.route_urls(request)}
            | context,
        )

    @staticmethod
    def _private(response):
        """Forms with a token, secrets, a writer's own letter: never kept by any cache."""
        add_never_cache_headers(response)
        return response

    # Index -----------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        # Not SubColumnPage's list: here the published letters are paged, and the notices
        # posted in the column (articles, if any) are listed above them.
        context = Page.get_context(self, request, *args, **kwargs)
        letters = self.paginate(request, Letter.objects.published().order_by("-replied_at", "-pk"))
        letters.object_list = [
            PublishedLetter.of(letter, self.route_url(request, "letter", letter.tracking_number))
            for letter in letters.object_list
        ]
        context.update(
            settings_notice=MailboxSettings.load().notice,
            notices=published_content(self)[:NOTICES_ON_INDEX],
            items=letters,
            urls=self.route_urls(request),
        )
        return context

    # Writing a letter (R-MAIL-1) ------------------------------------------------------------

    @path("write/")
    def write(self, request):
        settings = MailboxSettings.load()
        form_kwargs = {"session": request.session, "max_mb": settings.attachment_max_mb}
        attachment_dropped = False
        if request.method == "POST" and "new_captcha" in request.POST:
            # A more legible image asked for: nothing is checked and nothing typed is lost.
            kept = {k: v for k, v in request.POST.items() if k not in ("captcha", "new_captcha")}
            form = LetterForm(initial=kept, **form_kwargs)
            attachment_dropped = bool(request.FILES)
        elif request.method == "POST":
            form = LetterForm(request.POST, request.FILES, **form_kwargs)
            if form.is_valid():
                source = clients.source_digest(request)
                if not clients.spend(source, clients.LETTERS, settings.letters_per_hour):
                    form.add_error(
                        None,
                        f"同一网络每小时最多提交 {settings.letters_per_hour} 封信件，已达到上限，"
                        "信件未提交。请一小时后再提交，您填写的内容保留在下面。",
                    )
                else:
                    accepted = self._accept(form.cleaned_data, source)
                    if accepted is not None:
                        letter, code = accepted
                        request.session[ACCEPTED_KEY] = {
                            "number": letter.tracking_number,
                            "code": code,
                            "subject": letter.subject,
                        }
                        return HttpResponseRedirect(self.route_url(request, "done"))
                    form.add_error(
                        None,
                        "系统繁忙，信件未能保存。请稍后再次提交，您填写的内容保留在下面。",
                    )
            attachment_dropped = bool(request.FILES)
        else:
            form = LetterForm(**form_kwargs)
        form.forget_captcha()
        challenge = captcha.issue(request.session)
        response = self._render(
            request,
            "mailbox/public/write.html",
            "我要写信",
            form=form,
            attachment_dropped=attachment_dropped,
            captcha_url=f"{self.route_url(request, 'captcha_image')}?v={challenge}",
            settings_notice=settings.notice,
        )
        return self._private(response)

    @staticmethod
    def _accept(data, source):
        """``cases.receive`` the letter; return (letter, query code), or None when it could
        not be stored (the form keeps what was typed).

        The letter is committed here, around ``receive``, so that a failure of what runs after
        the commit (the notice to 综合科: an in-app notice and an e-mail) cannot hide from the
        writer the number and code of a letter that is stored."""
        accepted = None
        try:
            with transaction.atomic():
                accepted = cases.receive(
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    kind=data["kind"],
                    subject=data["subject"],
                    text=data["text"],
                    attachment=data["attachment"],
                    consent_to_publish=data["consent_to_publish"],
                    source_digest=source,
                )
        except Exception as error:
            if accepted is not None and Letter.objects.filter(pk=accepted[0].pk).exists():
                logger.exception("来信 %s 已保存，但通知综合科失败", accepted[0].tracking_number)
                return accepted
            if isinstance(error, DatabaseError):
                logger.exception("来信未能保存")
                return None
            raise
        return accepted

    @path("write/captcha/")
    def captcha_image(self, request):
        challenge = captcha.current(request.session)
        if challenge is None:  # expired while the visitor wrote: a new one, answered as usual
            captcha.issue(request.session)
            challenge = captcha.current(request.session)
        response = HttpResponse(captcha.render_png(challenge["q"]), content_type="image/png")
        return self._private(response)

    @path("done/")
    def done(self, request):
        """The number and the query code, once: a refresh shows only the advice."""
        accepted = request.session.pop(ACCEPTED_KEY, None)
        response = self._render(
            request,
            "mailbox/public/done.html",
            "提交成功",
            accepted=accepted,
            reply_working_days=MailboxSettings.load().reply_working_days,
            track_address=request.build_absolute_uri(self.route_url(request, "track")),
        )
        return self._private(response)

    # Tracking (R-MAIL-5) ----------------------------------------------------------------------

    def _writer_letter(self, request, form):
        """The letter whose number and query code ``form`` (a ``TrackForm``) holds, or None
        with the refusal on the form: one per source's hourly budget of look-ups, spent by
        every attempt, and one uniform answer for every wrong pair (R-MAIL-5, R-SEC-5)."""
        limit = MailboxSettings.load().queries_per_hour
        allowed = clients.spend(clients.source_digest(request), clients.QUERIES, limit)
        if not form.is_valid():
            return None
        if not allowed:
            form.add_error(
                None, f"查询过于频繁：同一网络每小时最多查询 {limit} 次，请一小时后再试。"
            )
            return None
        letter = cases.find_for_writer(form.cleaned_data["number"], form.cleaned_data["code"])
        if letter is None:
            form.add_error(None, UNIFORM_REFUSAL)
        return letter

    @path("track/")
    def track(self, request):
        letter = rating_form = None
        if request.method == "POST":
            form = TrackForm(request.POST)
            letter = self._writer_letter(request, form)
            if letter is not None and letter.may_be_rated:
                rating_form = RatingForm(
                    initial={key: form.cleaned_data[key] for key in ("number", "code")}
                )
        else:
            form = TrackForm()
        response = self._render(
            request,
            "mailbox/public/track.html",
            "查询办理结果",
            form=form,
            failure_heading=TRACK_FAILED,
            letter=letter,
            rating_form=rating_form,
        )
        return self._private(response)

    @path("rate/")
    def rate(self, request):
        """R-MAIL-7: the writer's rating of the reply, with the letter's number and query code
        checked as tracking checks them; once, and only after the reply."""
        failure_heading, letter = TRACK_FAILED, None
        if request.method == "POST":
            form = RatingForm(request.POST)
            letter = self._writer_letter(request, form)
            if letter is not None:
                data = form.cleaned_data
                try:
                    cases.rate(letter, data["rating"], data["comment"])
                except cases.CaseError as error:
                    form.add_error(None, str(error))
                    failure_heading = RATING_FAILED
                else:
                    response = self._render(
                        request, "mailbox/public/rated.html", "感谢您的评价", letter=letter
                    )
                    return self._private(response)
        else:
            form = RatingForm()
        response = self._render(
            request,
            "mailbox/public/rate.html",
            "评价答复",
            form=form,
            failure_heading=failure_heading,
        )
        return self._private(response)

    # The published letters and the statistics (R-MAIL-5) -------------------------------------

    @path("letter/<str:number>/")
    def letter(self, request, number):
        letter = Letter.objects.published().filter(tracking_number=number).first()
        if letter is None:
            raise Http404("没有这封公开信件。")
        shown = PublishedLetter.of(letter)
        return self._render(request, "mailbox/public/letter.html", shown.subject, letter=shown)

    def first_month(self):
        """The mailbox's first month, (year, month): that of its first letter or, with none
        yet, that of its first publication (this month when it has none)."""
        first = reports.first_letter_day()
        if first is None and self.first_published_at is not None:
            first = timezone.localdate(self.first_published_at)
        first = first or timezone.localdate()
        return first.year, first.month

    @path("stats/")
    def stats(self, request):
        """R-MAIL-5: one month's statistics. Only the months from ``first_month`` to this one
        exist: no link leads outside them and any other month is not found, so that nobody
        (a crawler least of all) walks back through empty years."""
        today = timezone.localdate()
        first, last = self.first_month(), (today.year, today.month)
        year, month = last
        if "month" in request.GET:
            match = MONTH.match(request.GET["month"])
            if not match:
                raise Http404("月份格式应为 YYYY-MM。")
            year, month = int(match.group(1)), int(match.group(2))
            if not 1 <= month <= 12 or not first <= (year, month) <= last:
                raise Http404("没有这个月份的统计。")
        months, shown = [], last
        while len(months) < STATS_MONTHS and shown >= first:
            months.append(date(*shown, 1))
            shown = month_before(*shown)
        previous, following = month_before(year, month), month_after(year, month)
        return self._render(
            request,
            "mailbox/public/stats.html",
            "来信统计",
            month=date(year, month, 1),
            statistics=reports.monthly(year, month),
            previous=date(*previous, 1) if previous >= first else None,
            following=date(*following, 1) if following <= last else None,
            months=months,
        )
