"""A year of letters to 沟通信箱 for the demo (R-MAIL-1..5; 第十一、十三条).

The letters come from the templates of ``data/letters.toml``, combined with invented writers
and places, received on a monthly rhythm over the year before ``now``. Each is handled through
the mailbox's own steps (``govsite.mailbox.cases``), taken by the demo users who hold the roles,
so the letters' states, deadlines, handling records and statistics are what the system itself
makes. Most older letters end replied (some published with the writer's consent, some via
区长电子信箱, some after a draft was returned or an extension asked for), a few refused as
invalid or duplicate; the letters of the last two weeks stand at every step still in hand
(``[[open]]`` in the data file), two of them past their deadline. Each month's letters are
then recorded as 整理上报, and 督办 runs once, as the scheduler would today.

The replay is back-dated: the steps that take a time get it (``receive(now=)``,
``assign(today=)``, ``sign_off(now=)``, ``rate(now=)``…), and the handling records
(``LetterEvent.at``) and the notices are dated afterwards in bulk to the moment of their step.
History tells nobody: the notices of letters no longer in hand are removed and no e-mail is
sent.

Who takes each step is one function per role in ``Cast`` (the 沟通信箱 column owner's 信息员
and 科长, the handling section's); the steps of a letter, from triage to the reply's sign-off and
the writer's rating, are ``Replay.handle``.
"""

import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path

from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from govsite.demo.history import telling_nobody
from govsite.mailbox import cases, rules
from govsite.mailbox.models import (
    Letter,
    LetterEvent,
    holiday_calendar,
    is_working_day,
)
from govsite.mailbox.reports import month_range
from govsite.notices.models import Notice
from govsite.sections.models import Section
from govsite.sections.rules import is_officer_of

LETTERS_FILE = Path(__file__).resolve().parent / "data" / "letters.toml"
Status, Scope = Letter.Status, Letter.Scope
OFFICE_START, OFFICE_END = time(8, 40), time(17, 20)


def load_letters_spec(path=LETTERS_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


# Who takes each step --------------------------------------------------------------------------


class Cast:
    """The demo users who take the steps, one function per role (R-MAIL-2..5). Each answer is
    looked up once per load."""

    def __init__(self, users, authors):
        self.users = users  # the demo users by username
        self.authors = authors  # the 信息员 who writes for each section, by section code
        self._found = {}

    def _once(self, key, find):
        if key not in self._found:
            self._found[key] = find()
        return self._found[key]

    @cached_property
    def mailbox_section(self):
        """The owner of the 沟通信箱 column (综合科 unless moved, 第十一条)."""
        return rules.mailbox_section()

    def office_officer(self):
        """Who triages, classifies, assigns, forwards, decides extensions, words the replies,
        publishes and reports: the first of the 沟通信箱 column owner's officers (its author
        first) that ``rules.may_triage`` accepts. ``LookupError`` when nobody may."""

        def find():
            section = self.mailbox_section
            candidates = [
                self.users.get(self.authors.get(section.code)),
                *section.officers().order_by("username"),
            ]
            for user in candidates:
                if user is not None and rules.may_triage(user):
                    return user
            raise LookupError("演示账号中没有能办理来信的人（沟通信箱）。")

        return self._once("office officer", find)

    def office_chief(self):
        """The 沟通信箱 column owner's 科长 (``zonghe_kz``), who signs off every reply."""
        return self.section_chief(self.mailbox_section)

    def section_officer(self, section):
        """The 信息员 of the section a letter is assigned to, who drafts the reply: the one
        who writes its content (``[authors]`` of demo.toml), else the first of its officers."""

        def find():
            user = self.users.get(self.authors.get(section.code))
            if user is not None and is_officer_of(user, section):
                return user
            return section.officers().order_by("username").first()

        return self._once(("officer", section.pk), find)

    def section_chief(self, section):
        """That section's 科长, who approves the draft (第十四条)."""
        return self._once(("chief", section.pk), section.chiefs().order_by("username").first)


# What happens to each letter ------------------------------------------------------------------


@dataclass
class Plan:
    """One letter to replay: when it arrives, what it says, who writes it and how far its
    handling goes (``stop``: the step after which it rests; None: to its end)."""

    received_at: datetime
    template: dict
    place: str
    name: str
    phone: str
    email: str
    consent: bool
    stop: str | None = None
    duplicate: bool = False
    extension: str = ""  # "", "requested", "granted", "refused"
    due: date | None = None  # a deadline 综合科 sets instead of the usual one
    chief_return: bool = False
    office_return: bool = False
    sign_off_return: bool = False
    publish: bool = False
    publish_later: bool = False
    rating: tuple[str, str] | None = None  # the writer's rating of the reply, and comment
    subject: str = ""
    text: str = ""

    @property
    def scope(self):
        return self.template["scope"]

    def fill(self, text):
        return text.strip().replace("{place}", self.place).replace("{phone}", self.phone)


class Timeline:
    """The moments of one letter's steps: each a number of working days after the one
    before (0: later the same day when the office is still open), in office hours, and always
    before ``ceiling`` (the load's own time)."""

    def __init__(self, replay, start):
        self.replay, self.last = replay, start

    def after(self, working_days):
        replay, last = self.replay, timezone.localtime(self.last)
        if working_days == 0 and replay.working(last.date()) and last.time() < time(16, 30):
            moment = last + timedelta(minutes=replay.rng.randint(15, 90))
        else:
            moment = replay.office_time(replay.working_day_after(last.date(), max(1, working_days)))
        if moment >= replay.ceiling:
            moment = self.last + (replay.ceiling - self.last) / 2
        self.last = moment
        return moment


class Replay:
    """One replay of the letters in ``spec`` up to ``now``."""

    def __init__(self, spec, cast, now):
        self.spec, self.cast, self.now = spec, cast, now
        self.rng = random.Random(spec["seed"])
        self.today = timezone.localdate(now)
        self.ceiling = now - timedelta(minutes=1)
        self.calendar = holiday_calendar()
        self.clock = now
        self.dated = {LetterEvent: {}, Notice: {}}  # pk → moment of the step that made it
        self.codes = {}  # letter pk → its query code
        self.letters = []
        # The sections that can answer a letter: those with an officer and a chief among the
        # demo users (a database loaded over existing accounts may lack one).
        self.sections = {
            section.code: section
            for section in Section.objects.all()
            if cast.section_officer(section) and cast.section_chief(section)
        }

    # Days ----------------------------------------------------------------------------------

    def working(self, day):
        return is_working_day(day, self.calendar)

    def working_day_after(self, day, n):
        while n > 0:
            day += timedelta(days=1)
            n -= self.working(day)
        return day

    def working_day_before(self, day, n):
        while n > 0:
            day -= timedelta(days=1)
            n -= self.working(day)
        return day

    def office_time(self, day):
        start = OFFICE_START.hour * 60 + OFFICE_START.minute
        end = OFFICE_END.hour * 60 + OFFICE_END.minute
        minute = self.rng.randint(start, end)
        return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))

    def writing_time(self, day):
        """When a member of the public writes: any hour from early morning to late evening."""
        minute = self.rng.randint(7 * 60, 23 * 60 + 30)
        moment = timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))
        return min(moment, self.ceiling)

    def at(self, timeline, working_days):
        """Move the clock to the next step of ``timeline``; return the moment."""
        self.clock = timeline.after(working_days)
        return self.clock

    # Plans ---------------------------------------------------------------------------------

    def plans(self):
        """The letters of the year (history, all settled) and those still in hand today, in
        the order they arrive."""
        spec, rng = self.spec, self.rng
        history_end = self.working_day_before(self.today, 6)
        first = self.today - timedelta(days=365)
        days = [first + timedelta(days=n) for n in range((history_end - first).days + 1)]
        count = spec["letters_per_year"] - len(spec["open"])
        received = []
        for month, quota in self._monthly_quotas(days, count).items():
            in_month = [day for day in days if (day.year, day.month) == month]
            weights = [1 if self.working(day) else 0.5 for day in in_month]
            received += rng.choices(in_month, weights, k=quota)
        plans = [plan for day in sorted(received) if (plan := self._history_plan(day))]
        self._vary(plans)
        for item in spec["open"]:
            plan = self._open_plan(item)
            if plan is not None:
                plans.append(plan)
        return sorted(plans, key=lambda plan: plan.received_at)

    def _monthly_quotas(self, days, count):
        """How many of ``count`` letters each month of ``days`` brings: its share by the data
        file's ``monthly_weights`` and by how many of its days are in the period (largest
        remainders rounded up)."""
        weights = {}
        for day in days:
            month = (day.year, day.month)
            weights[month] = weights.get(month, 0) + self.spec["monthly_weights"][day.month - 1]
        total = sum(weights.values())
        exact = {month: count * weight / total for month, weight in weights.items()}
        quotas = {month: int(value) for month, value in exact.items()}
        by_remainder = sorted(exact, key=lambda month: exact[month] - quotas[month], reverse=True)
        for month in by_remainder[: count - sum(quotas.values())]:
            quotas[month] += 1
        return quotas

    def _templates(self, month, scopes):
        return [
            t
            for t in self.spec["letters"]
            if t["scope"] in scopes
            and month in t.get("months", range(1, 13))
            and (t["scope"] != "internal" or t["section"] in self.sections)
        ]

    def _plan(self, received_at, scopes):
        spec, rng = self.spec, self.rng
        templates = self._templates(timezone.localdate(received_at).month, scopes)
        if not templates:
            return None
        template = rng.choices(templates, [t.get("weight", 1) for t in templates])[0]
        writers = spec["writers"]
        phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}0000{rng.randint(0, 9999):04d}"
        plan = Plan(
            received_at=received_at,
            template=template,
            place=rng.choice(writers["places"]),
            name=rng.choice(writers["surnames"]) + rng.choice(writers["given"]),
            phone=phone if rng.random() < 0.85 else "",
            email=f"lj{rng.randint(1000, 99999)}@example.cn"
            if rng.random() < spec["email_rate"]
            else "",
            consent=rng.random() < spec["consent_rate"],
        )
        plan.subject = plan.fill(rng.choice(template["subjects"]))
        plan.text = plan.fill(template["text"])
        if "{phone}" in template["text"] and not plan.phone:
            plan.text = plan.text.replace("我的电话。", "").replace("联系电话。", "")
        plan.publish = (
            plan.consent and template.get("public", False) and rng.random() < spec["publish_rate"]
        )
        plan.publish_later = plan.publish and rng.random() < 0.2
        if rng.random() < spec["rating_rate"]:
            choices, weights = zip(*spec["ratings"], strict=True)
            rating = rng.choices(choices, weights)[0]
            comment = rng.choice(spec["notes"]["rating_comments"]) if rng.random() < 0.4 else ""
            plan.rating = (rating, comment)
        return plan

    def _history_plan(self, day):
        spec, rng = self.spec, self.rng
        plan = self._plan(self.writing_time(day), {"internal", "government", "invalid"})
        if plan is None:
            return None
        plan.duplicate = plan.scope != "invalid" and rng.random() < spec["duplicate_rate"]
        return plan

    def _vary(self, plans):
        """Among the older internal letters, those whose draft was returned by the chief or
        by 综合科, those whose worded reply 综合科's chief returned once, and those for which
        the section asked for more time (granted, or refused): each variation on its share of
        them (the data file's rates), at least on one."""
        spec, rng = self.spec, self.rng
        cutoff = self.today - timedelta(days=40)
        eligible = [
            plan
            for plan in plans
            if plan.scope == "internal"
            and not plan.duplicate
            and timezone.localdate(plan.received_at) < cutoff
        ]

        def share(name):
            count = max(1, round(spec[name] * len(eligible)))
            return rng.sample(eligible, min(count, len(eligible)))

        for plan in share("chief_return_rate"):
            plan.chief_return = True
        for plan in share("office_return_rate"):
            plan.office_return = True
        for plan in share("sign_off_return_rate"):
            plan.sign_off_return = True
        for number, plan in enumerate(share("extension_rate")):
            plan.extension = "refused" if number % 3 == 2 else "granted"

    def _open_plan(self, item):
        state, ago = item["state"], item["working_days_ago"]
        if ago == 0:
            received_at = self.now - timedelta(minutes=self.rng.randint(20, 300))
        else:
            received_at = self.writing_time(self.working_day_before(self.today, ago))
        scopes = {
            "received": {"internal", "government", "invalid"},
            "forwarded": {"government"},
            "result": {"government"},
        }.get(state, {"internal"})
        plan = self._plan(received_at, scopes)
        if plan is None:
            return None
        plan.stop = state
        if "due_in_working_days" in item:
            plan.due = self.working_day_after(self.today, item["due_in_working_days"])
        plan.extension = {"extension_requested": "requested", "extension_granted": "granted"}.get(
            state, ""
        )
        return plan

    # The replay ----------------------------------------------------------------------------

    def run(self):
        for plan in self.plans():
            self.replay(plan)
        self.report_months()
        self.clock = self.now
        cases.supervise(today=self.today, now=self.now)

    def replay(self, plan):
        self.clock = plan.received_at
        original = None
        if plan.duplicate:
            recent = [
                letter
                for letter in self.letters[-12:]
                if letter.status not in (Status.INVALID, Status.DUPLICATE)
                and plan.received_at - letter.received_at < timedelta(days=30)
            ]
            if recent:
                original = self.rng.choice(recent)
                plan.name, plan.phone, plan.email = original.name, original.phone, original.email
                plan.subject, plan.text = original.subject, original.text
        letter, _random_code = cases.receive(
            name=plan.name,
            subject=plan.subject,
            text=plan.text,
            kind=plan.template["kind"],
            phone=plan.phone,
            email=plan.email,
            consent_to_publish=plan.consent,
            now=plan.received_at,
        )
        letter.duplicate_original = original
        self.letters.append(letter)
        self.give_code(letter)
        if plan.stop == "received":
            return  # waits for 综合科 to triage it
        for step in self.handle(letter, plan, Timeline(self, plan.received_at)):
            if step == plan.stop:
                break

    def handle(self, letter, plan, timeline):
        """The steps of a letter's handling in their order, each yielded by name once taken;
        a letter still in hand stops after the step its plan names (``Plan.stop``), any other
        goes on to its reply (or refusal).

        This is the one place that says how a letter is answered: the handling section drafts
        and its chief approves (internal letters) or the result comes back from 区长电子信箱
        (government letters); the 沟通信箱 column owner's 信息员 words the reply and its 科长
        signs it off (sometimes after returning it once); the writer then may rate it."""
        cast, rng = self.cast, self.rng
        office = cast.office_officer()
        if letter.duplicate_original is not None:
            self.at(timeline, 0)
            reason = self.spec["notes"]["duplicate_reason"]
            cases.close(letter, office, reason, duplicate_of=letter.duplicate_original)
            yield "closed"
            return
        if plan.scope == "invalid":
            self.at(timeline, 0)
            cases.close(letter, office, plan.template["reason"])
            yield "closed"
            return

        if plan.scope == "government":
            self.at(timeline, 0)
            cases.classify(letter, office, Scope.GOVERNMENT)
            self.at(timeline, 0)
            cases.forward(letter, office)
            yield "forwarded"
            self.at(timeline, rng.choice([2, 2, 3, 3, 4, 6]))
            handled = timezone.localdate(self.clock)
            result, department = plan.fill(plan.template["reply"]), plan.template["department"]
            cases.record_result(letter, office, result, department, handled_at=handled)
            yield "result"
        else:
            section = self.sections[plan.template["section"]]
            officer, chief = cast.section_officer(section), cast.section_chief(section)
            self.at(timeline, 0)
            cases.classify(letter, office, Scope.INTERNAL)
            moment = self.at(timeline, 0)
            cases.assign(
                letter, office, section, deadline=plan.due, today=timezone.localdate(moment)
            )
            yield "assigned"
            if plan.extension:
                self.at(timeline, rng.choice([2, 3]))
                notes = self.spec["notes"]
                cases.request_extension(
                    letter, officer, rng.randint(3, 5), rng.choice(notes["extensions"])
                )
                yield "extension_requested"
                self.at(timeline, rng.choice([0, 1]))
                grant = plan.extension != "refused"
                note = "" if grant else rng.choice(notes["extension_refusals"])
                cases.decide_extension(letter, office, grant, note)
                yield "extension_granted" if grant else "extension_refused"
            reply = plan.fill(plan.template["reply"])
            self.at(timeline, rng.choice([1, 1, 2, 2, 3]))
            cases.draft(letter, officer, reply)
            yield "drafted"
            if plan.chief_return:
                self.at(timeline, rng.choice([0, 1]))
                cases.return_draft(letter, chief, rng.choice(self.spec["notes"]["chief_returns"]))
                self.at(timeline, 1)
                cases.draft(letter, officer, reply)
            self.at(timeline, rng.choice([0, 0, 1]))
            cases.approve(letter, chief)
            yield "approved"
            if plan.office_return:
                self.at(timeline, 0)
                cases.return_draft(letter, office, rng.choice(self.spec["notes"]["office_returns"]))
                self.at(timeline, 1)
                cases.draft(letter, officer, reply)
                self.at(timeline, 0)
                cases.approve(letter, chief)

        self.at(timeline, rng.choice([0, 0, 1]))
        publish_now = plan.publish and not plan.publish_later
        cases.prepare_reply(letter, office, publish=publish_now)
        yield "prepared"
        if plan.sign_off_return:
            self.at(timeline, 0)
            note = rng.choice(self.spec["notes"]["sign_off_returns"])
            cases.return_reply(letter, cast.office_chief(), note)
            self.at(timeline, 1)
            cases.prepare_reply(letter, office, publish=publish_now)
        moment = self.at(timeline, rng.choice([0, 0, 1]))
        cases.sign_off(letter, cast.office_chief(), now=moment)
        yield "replied"
        if plan.publish_later:
            self.at(timeline, 1)
            cases.set_published(letter, office, True)
        if plan.rating:
            rating, comment = plan.rating
            cases.rate(letter, rating, comment, now=self.at(timeline, rng.choice([1, 2, 3, 5])))
            yield "rated"

    def report_months(self):
        """整理上报 (第十一条): each past month's letters, recorded on the first working day of
        the month after."""
        office = self.cast.office_officer()
        note = self.spec["notes"]["report_note"]
        month = date(self.today.year, self.today.month, 1)
        first = min(timezone.localdate(letter.received_at) for letter in self.letters)
        while True:
            month = (month - timedelta(days=1)).replace(day=1)
            if month < first.replace(day=1):
                break
            letters = list(Letter.objects.received_between(*month_range(month.year, month.month)))
            if not letters:
                continue
            after = month_range(month.year, month.month)[1]
            day = self.working_day_after(after, 1)
            self.clock = min(self.office_time(day), self.ceiling)
            cases.record_report(letters, office, note.format(year=month.year, month=month.month))

    # Codes, dating and quiet ------------------------------------------------------------------

    def give_code(self, letter):
        """A query code of the seeded sequence instead of the random one ``receive`` gave, so
        that a load is the same every time; kept in ``codes`` for the writer's later steps."""
        code = "".join(self.rng.choice(cases.CODE_ALPHABET) for _ in range(cases.CODE_LENGTH))
        code = "-".join(code[i : i + 4] for i in range(0, cases.CODE_LENGTH, 4))
        letter.query_code_digest = Letter.digest(code)
        Letter.objects.filter(pk=letter.pk).update(query_code_digest=letter.query_code_digest)
        self.codes[letter.pk] = code

    def remember(self, sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            self.dated[sender][instance.pk] = self.clock

    def settle(self):
        """Date the handling records and notices to their steps; keep only the notices about
        letters still in hand."""
        events = [LetterEvent(pk=pk, at=at) for pk, at in self.dated[LetterEvent].items()]
        LetterEvent.objects.bulk_update(events, ["at"], batch_size=500)

        in_hand = {
            reverse("mailbox_letter", args=[letter.pk])
            for letter in Letter.objects.in_hand() | Letter.objects.awaiting_triage()
        }
        made = self.dated[Notice]
        Notice.objects.filter(pk__in=made).exclude(url__in=in_hand).delete()
        kept = Notice.objects.filter(pk__in=made).values_list("pk", flat=True)
        Notice.objects.bulk_update(
            [Notice(pk=pk, created_at=made[pk]) for pk in kept], ["created_at"], batch_size=500
        )


@dataclass
class LettersReport:
    created: int = 0
    existing: int = 0
    by_status: dict = field(default_factory=dict)
    samples: list = field(default_factory=list)  # (number, query code, status label)
    skipped_reason: str = ""


@transaction.atomic
def ensure_letters(users, authors, now, spec=None):
    """A year of letters up to ``now``, unless the mailbox already holds letters (then nothing
    changes). Returns a ``LettersReport``."""
    report = LettersReport(existing=Letter.objects.count())
    if report.existing:
        return report
    spec = spec or load_letters_spec()
    cast = Cast(users, authors)
    try:
        cast.office_officer()
    except LookupError as error:
        report.skipped_reason = str(error)
        return report
    replay = Replay(spec, cast, now)
    for model in replay.dated:
        post_save.connect(replay.remember, sender=model, dispatch_uid=f"demo.dated.{model}")
    try:
        with telling_nobody():
            replay.run()
    finally:
        for model in replay.dated:
            post_save.disconnect(sender=model, dispatch_uid=f"demo.dated.{model}")
    replay.settle()

    report.created = len(replay.letters)
    statuses = dict(Status.choices)
    for letter in Letter.objects.all():
        label = statuses[letter.status]
        report.by_status[label] = report.by_status.get(label, 0) + 1
    report.samples = _samples(replay)
    return report


def _samples(replay):
    """A letter to try the public tracking with, for each kind of answer the writer may get."""
    samples = []
    for statuses in ([Status.ASSIGNED], [Status.REPLIED], [Status.INVALID, Status.DUPLICATE]):
        letter = (
            Letter.objects.filter(status__in=statuses, pk__in=replay.codes)
            .order_by("-received_at")
            .first()
        )
        if letter is not None:
            number = letter.tracking_number
            samples.append((number, replay.codes[letter.pk], letter.get_status_display()))
    return samples
