"""A year of 信息报送 for the demo (R-INFO-1..3; 第十六、二十二条) and the owners' reviews of the
relatively fixed columns (R-ASSESS-1; 第十五条), from ``data/reporting.toml``.

Every reporting section's 信息员 writes its dynamic information month by month over the year
before ``now`` (a strong section, a weak one that misses its quota in some months), its 科长
approves it a day or two later (sometimes after returning it once), and 综合科's 信息员 adopts
most of it — the copy published in 工作动态 by the supervising director a few days later, with
the section as 来源 — and returns the rest with a reason (some revised and adopted after all).
Some adopted items are also carried by the district's website and journals, a few by the city's
and the province's, and a few earn a leader's instruction. The items still in hand today wait
at every step (``[[current]]`` in the data file), so every queue shows something.

The history is written directly through the models with the moments of its steps (``ItemStep``
rows, ``sent_at`` …), not through the step functions of ``govsite.reporting``: what the demo
needs is the record those steps leave. The kinds of item, outlets and instruction levels are
matched by name and created when missing, so the demo works with or without their seed
migration. A database that already holds items keeps them as they are (a second load changes
nothing), and so does one that already holds column reviews.
"""

import random
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from govsite.assessment.models import ColumnReview
from govsite.columns.models import ArticlePage, HomePage
from govsite.demo.pages import body_blocks, director_of, publish_back_dated, sub_columns
from govsite.mailbox.models import holiday_calendar, is_working_day
from govsite.reporting.cases import contributor
from govsite.reporting.models import (
    InstructionLevel,
    Item,
    ItemKind,
    ItemStep,
    LeaderInstruction,
    Outlet,
    OutletAdoption,
    SectionQuota,
)
from govsite.reporting.rules import adoption_column
from govsite.sections.models import Section
from govsite.sections.rules import is_officer_of

REPORTING_FILE = Path(__file__).resolve().parent / "data" / "reporting.toml"
MONTHS_OF_HISTORY = 12
OFFICE_START, OFFICE_END = time(8, 40), time(17, 20)
Status, Action = Item.Status, ItemStep.Action


def load_reporting_spec(path=REPORTING_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


@dataclass
class ReportingReport:
    data_created: list[str] = field(default_factory=list)  # the sections' quotas
    created: int = 0
    existing: int = 0
    by_status: dict = field(default_factory=dict)
    pages: int = 0
    outlet_adoptions: int = 0
    instructions: int = 0
    reviews: int = 0
    skipped_reason: str = ""


# The rule data ----------------------------------------------------------------------------------


def ensure_quotas(spec, report):
    """The sections' own monthly quotas of the data file, each set when the section has none
    (the kinds, outlets and instruction levels are the seed migration's, as 综合科 keeps them)."""
    for code, quota in spec.get("quotas", {}).items():
        section = Section.objects.filter(code=code).first()
        if section is None:
            continue
        _, created = SectionQuota.objects.get_or_create(
            section=section, defaults={"monthly_quota": quota}
        )
        if created:
            report.data_created.append(f"{section.name}每月 {quota} 条")


# Who takes each step ---------------------------------------------------------------------------


def officer_of(section, users, authors):
    """The section's 信息员 who writes its content (``[authors]`` of demo.toml), else the first
    of its officers."""
    user = users.get(authors.get(section.code))
    if user is not None and is_officer_of(user, section):
        return user
    return section.officers().order_by("username").first()


class Cast:
    """The demo users who take the steps: each section's 信息员 (the one who writes its content,
    ``[authors]`` of demo.toml) and 科长; 综合科's 信息员 who adopts, returns and records the
    outlets (the owner of the adoption column); the director who publishes the adopted copy."""

    def __init__(self, users, authors, column):
        self.users, self.authors, self.column = users, authors, column
        self._found = {}  # each answer looked up once per load
        self.office = column.owner_section
        self.office_officer = self.officer(self.office)
        self.publisher = director_of(self.office)

    def officer(self, section):
        key = ("officer", section.pk)
        if key not in self._found:
            self._found[key] = officer_of(section, self.users, self.authors)
        return self._found[key]

    def chief(self, section):
        key = ("chief", section.pk)
        if key not in self._found:
            self._found[key] = section.chiefs().order_by("username").first()
        return self._found[key]


# The history ----------------------------------------------------------------------------------


def month_starts(today, count):
    """The first days of the ``count`` months before ``today``'s, oldest first, and its own."""
    month = today.replace(day=1)
    months = [month]
    for _ in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


@dataclass
class Plan:
    """One item to write: its section, template, filled title and body, and its steps as
    (action, actor, moment, comment) in order."""

    section: Section
    template: dict
    title: str
    body: str
    written_at: datetime
    steps: list = field(default_factory=list)
    status: str = Status.DRAFT
    submitted_at: datetime | None = None
    sent_at: datetime | None = None
    decided_at: datetime | None = None
    published_at: datetime | None = None
    outlets: list = field(default_factory=list)  # (outlet, day, note) besides 本站
    instruction: tuple | None = None  # (level, leader, text, day)
    item: Item | None = None

    def step(self, action, actor, moment, comment=""):
        self.steps.append((action, actor, moment, comment))


class History:
    """One replay of the data file's year up to ``now``."""

    def __init__(self, spec, cast, now):
        self.spec, self.cast, self.now = spec, cast, now
        self.rng = random.Random(spec["seed"])
        self.today = timezone.localdate(now)
        self.ceiling = now - timedelta(minutes=1)
        self.calendar = holiday_calendar()
        self.kinds = {kind.name: kind for kind in ItemKind.objects.all()}
        self.outlets = {outlet.name: outlet for outlet in Outlet.objects.all()}
        self.levels = {level.name: level for level in InstructionLevel.objects.all()}
        self.sections = [
            section
            for section in Section.objects.order_by("pk")
            if section.code in spec["sections"] and cast.officer(section) and cast.chief(section)
        ]
        self.used = set()  # (section code, template index, month) of the titles written
        self.used_on = {}  # (section code, template index) → the month it was last used for
        self.plans = []

    # Days and moments --------------------------------------------------------------------------

    def working(self, day):
        return is_working_day(day, self.calendar)

    def working_day_after(self, day, n):
        while n > 0:
            day += timedelta(days=1)
            n -= self.working(day)
        return day

    def working_day_before(self, day):
        day -= timedelta(days=1)
        while not self.working(day):
            day -= timedelta(days=1)
        return day

    def office_time(self, day, latest=OFFICE_END):
        """A moment of ``day`` between the office's opening and ``latest``."""
        start = OFFICE_START.hour * 60 + OFFICE_START.minute
        end = latest.hour * 60 + latest.minute
        minute = self.rng.randint(start, max(start, end))
        return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))

    def later(self, moment, working_days):
        """A moment ``working_days`` working days after ``moment`` (0: later the same day if
        the office is still open), in office hours, never after the load."""
        local = timezone.localtime(moment)
        if working_days == 0 and local.time() < time(16, 30):
            result = local + timedelta(minutes=self.rng.randint(20, 120))
        else:
            result = self.office_time(self.working_day_after(local.date(), max(1, working_days)))
        return min(result, self.ceiling)

    # Templates ---------------------------------------------------------------------------------

    def fill(self, text, month, template):
        rng = self.rng
        values = {
            "{year}": str(month.year),
            "{month}": str(month.month),
            "{count}": str(rng.randint(*template.get("count", (12, 60)))),
            "{rate}": str(rng.randint(92, 99)),
            "{days}": str(rng.randint(2, 5)),
        }
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        return text.strip()

    def template(self, code, month, months_left, again=False):
        """A template of the section's for ``month``: one not yet used this year (or, for a
        recurring one, this month: its title names the month); those for this time of year
        first, then a one-off as often as the one-offs left can last the
        items still to write in the ``months_left``. None when all are used, unless ``again``
        (the section is busier than its templates): then the one-off used longest ago."""
        rhythm = self.spec["sections"][code]
        templates = rhythm["items"]
        fresh = []
        for index, template in enumerate(templates):
            if month.month not in template.get("months", range(1, 13)):
                continue
            key = (code, index, month if template.get("recurs") else None)
            if key not in self.used:
                fresh.append((index, template))
        if not fresh and not again:
            return None
        seasonal = [pair for pair in fresh if "months" in pair[1]]
        one_off = [pair for pair in fresh if not pair[1].get("recurs")]
        recurring = [pair for pair in fresh if pair[1].get("recurs")]
        if not fresh:
            index = min(
                (i for i, t in enumerate(templates) if not t.get("recurs")),
                key=lambda i: self.used_on.get((code, i), month),
            )
            self.used_on[(code, index)] = month
            return templates[index]
        counts, weights = zip(*rhythm["counts"], strict=True)
        per_month = max(0.5, sum(c * w for c, w in rhythm["counts"]) / sum(weights))
        if seasonal:
            choices = seasonal
        elif one_off and (
            not recurring or self.rng.random() < len(one_off) / (months_left * per_month)
        ):
            choices = one_off
        else:
            choices = recurring
        index, template = self.rng.choice(choices)
        self.used.add((code, index, month if template.get("recurs") else None))
        self.used_on[(code, index)] = month
        return template

    def plan(self, section, written_at, months_left=1):
        """An item written at ``written_at``: in a month's first five days it reports on the
        month before (or on its own month, when the templates for the month before are used)."""
        day = timezone.localdate(written_at)
        month = own = day.replace(day=1)
        if day.day <= 5:
            month = (month - timedelta(days=1)).replace(day=1)
        template = self.template(section.code, month, months_left)
        if template is None and month != own:
            month = own
            template = self.template(section.code, month, months_left)
        if template is None:
            template = self.template(section.code, month, months_left, again=True)
        return Plan(
            section=section,
            template=template,
            title=self.fill(template["title"], month, template),
            body=self.fill(template["body"], month, template),
            written_at=written_at,
        )

    # The year ----------------------------------------------------------------------------------

    def writing_days(self, month):
        """The working days of ``month`` on which an item is written and still sent within the
        month (not in its last four working days), and settled before the load (three weeks
        before it)."""
        last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        days = [
            month + timedelta(days=n)
            for n in range((last - month).days + 1)
            if self.working(month + timedelta(days=n))
        ]
        return [day for day in days[:-4] if day <= self.today - timedelta(days=21)]

    def run(self):
        months = month_starts(self.today, MONTHS_OF_HISTORY)
        for number, month in enumerate(months):
            age, months_left = len(months) - 1 - number, len(months) - number
            days = self.writing_days(month)
            for section in self.sections:
                rhythm = self.spec["sections"][section.code]
                counts, weights = zip(*rhythm["counts"], strict=True)
                count = self.rng.choices(counts, weights)[0]
                if age in rhythm.get("misses", []) or not days:
                    count = 0
                for day in sorted(self.rng.choices(days, k=count)):
                    written_at = self.office_time(day)
                    self.settled(self.plan(section, written_at, months_left))
        self.adopted_elsewhere()
        self.instructed()
        for item in self.spec["current"]:
            self.in_hand(item)
        return self.plans

    def submitted(self, plan, chief_return, approval_days=(1, 1, 2)):
        """Written, submitted, (returned once by the chief and resubmitted,) approved: sent."""
        officer, chief = self.cast.officer(plan.section), self.cast.chief(plan.section)
        rng, notes = self.rng, self.spec["notes"]
        moment = self.later(plan.written_at, 0)
        plan.step(Action.SUBMIT, officer, moment)
        if chief_return:
            moment = self.later(moment, rng.choice([0, 1]))
            plan.step(Action.RETURN, chief, moment, rng.choice(notes["chief_returns"]))
            moment = self.later(moment, 1)
            plan.step(Action.SUBMIT, officer, moment)
        plan.submitted_at = moment
        moment = self.later(moment, rng.choice(approval_days))
        plan.step(Action.APPROVE, chief, moment)
        plan.sent_at = moment
        plan.status = Status.AWAITING_OFFICE
        return moment

    def adopt(self, plan, moment):
        rng, office = self.rng, self.cast.office_officer
        plan.step(Action.ADOPT, office, moment, rng.choice(self.spec["notes"]["adopt_comments"]))
        plan.status, plan.decided_at = Status.ADOPTED, moment
        # The copy goes through 综合科's own review chain; its director publishes it.
        plan.published_at = self.later(moment, rng.choice([1, 1, 2]))
        plan.step(Action.PUBLISH, self.cast.publisher, plan.published_at)

    def settled(self, plan):
        """An item of a past month, from its writing to 综合科's decision."""
        rng, rates, notes = self.rng, self.spec["rates"], self.spec["notes"]
        office = self.cast.office_officer
        moment = self.submitted(plan, rng.random() < rates["chief_return"])
        moment = self.later(moment, rng.choice([1, 2, 2, 3]))
        if rng.random() < rates["adopt"]:
            self.adopt(plan, moment)
        else:
            plan.step(Action.RETURN_OFFICE, office, moment, rng.choice(notes["office_returns"]))
            plan.status, plan.decided_at = Status.RETURNED, moment
            if rng.random() < rates["resubmit"] and moment < self.now - timedelta(days=14):
                officer, chief = self.cast.officer(plan.section), self.cast.chief(plan.section)
                moment = self.later(moment, rng.choice([1, 2]))
                plan.step(Action.SUBMIT, officer, moment)
                plan.submitted_at = moment
                moment = self.later(moment, rng.choice([0, 1]))
                plan.step(Action.APPROVE, chief, moment)
                self.adopt(plan, self.later(moment, rng.choice([1, 2])))
        self.plans.append(plan)

    def in_hand(self, spec_item):
        """An item still in hand today: written ``days_ago`` working days back, resting at
        the step its state names."""
        section = next((s for s in self.sections if s.code == spec_item["section"]), None)
        if section is None:
            return
        day = self.today
        if not self.working(day) or timezone.localtime(self.now).time() < time(10):
            day = self.working_day_before(day)
        for _ in range(spec_item["days_ago"]):
            day = self.working_day_before(day)
        latest = time(8, 40) if day == self.today else time(15)
        written_at = self.office_time(day, latest=latest)
        plan = self.plan(section, written_at)
        state = spec_item["state"]
        officer, chief = self.cast.officer(section), self.cast.chief(section)
        if state == "awaiting_office":
            self.submitted(plan, chief_return=False, approval_days=(0,))
        elif state in ("awaiting_chief", "returned"):
            moment = self.later(written_at, 0)
            plan.step(Action.SUBMIT, officer, moment)
            plan.submitted_at, plan.status = moment, Status.AWAITING_CHIEF
            if state == "returned":
                comment = self.rng.choice(self.spec["notes"]["chief_returns"])
                plan.step(Action.RETURN, chief, self.later(moment, 0), comment)
                plan.status = Status.RETURNED
        self.plans.append(plan)

    # Other outlets and leaders' instructions ----------------------------------------------------

    def outlet(self, plan, name, day, note=""):
        outlet = self.outlets.get(name)
        if outlet is None or day > self.today - timedelta(days=1):
            return False
        if any(existing == outlet for existing, _day, _note in plan.outlets):
            return False
        plan.outlets.append((outlet, day, note))
        moment = min(self.office_time(day), self.ceiling)
        comment = f"{outlet.name}：{note}" if note else outlet.name
        plan.step(Action.OUTLET, self.cast.office_officer, moment, comment)
        return True

    def issue_note(self, name, day, per_year):
        journal = self.spec["journals"].get(name, "")
        issue = day.timetuple().tm_yday * per_year // 366 + 1
        return journal.format(year=day.year, issue=issue)

    def adopted_elsewhere(self):
        """Some adopted items carried by 区政府网站 and the district's journal, fewer by the city's,
        and ``province_journal`` of the 创新措施 and 工作成绩 by the province's."""
        rng, rates = self.rng, self.spec["rates"]
        adopted = [plan for plan in self.plans if plan.status == Status.ADOPTED]
        for plan in adopted:
            published = timezone.localdate(plan.published_at)
            if rng.random() < rates["district_site"]:
                self.outlet(plan, "区政府网站", published + timedelta(days=rng.randint(0, 2)))
            if rng.random() < rates["district_journal"]:
                day = published + timedelta(days=rng.randint(4, 12))
                self.outlet(plan, "区信息刊物", day, self.issue_note("区信息刊物", day, 48))
            if rng.random() < rates["city_journal"] and not plan.template.get("recurs"):
                day = published + timedelta(days=rng.randint(10, 25))
                self.outlet(plan, "市级刊物", day, self.issue_note("市级刊物", day, 24))
        notable = [
            plan
            for plan in adopted
            if plan.template["kind"] == "创新措施"
            and plan.published_at < self.now - timedelta(days=60)
        ]
        for plan in rng.sample(notable, min(rates["province_journal"], len(notable))):
            day = timezone.localdate(plan.published_at) + timedelta(days=rng.randint(20, 40))
            self.outlet(plan, "省级刊物", day, self.issue_note("省级刊物", day, 12))

    def instructed(self):
        """The data file's 领导批示, each on an adopted one-off item of its section some weeks
        old: one about its subject (``about``) where there is one, else a 创新措施 or 工作成绩
        with the general text."""
        for spec_item in self.spec["instructions"]:
            level = self.levels.get(spec_item["level"])
            adopted = [
                plan
                for plan in self.plans
                if plan.status == Status.ADOPTED
                and plan.section.code == spec_item["section"]
                and not plan.template.get("recurs")
                and plan.published_at < self.now - timedelta(days=30)
                and plan.instruction is None
            ]
            about = [p for p in adopted if spec_item["about"] in p.title]
            notable = [p for p in adopted if p.template["kind"] in ("创新措施", "工作成绩")]
            if level is None or not (about or notable):
                continue
            plan = self.rng.choice(about or notable)
            text = spec_item["text"] if about else spec_item["general"]
            day = timezone.localdate(plan.published_at) + timedelta(days=self.rng.randint(3, 15))
            plan.instruction = (level, spec_item["leader"], text, day)
            moment = min(self.office_time(day), self.ceiling)
            comment = f"{spec_item['leader']}：{text}"
            plan.step(Action.INSTRUCTION, self.cast.office_officer, moment, comment)


# Writing it down --------------------------------------------------------------------------------


def write(history, plans):
    """The items, their steps, the adopted copies in the adoption column, the outlets and the
    instructions, in a handful of bulk writes (a page per adopted item)."""
    cast, kinds = history.cast, history.kinds
    items = []
    for plan in plans:
        plan.item = Item(
            section=plan.section,
            kind=kinds[plan.template["kind"]],
            title=plan.title,
            body=body_blocks(plan.body),
            author=cast.officer(plan.section),
            status=plan.status,
            created_at=plan.written_at,
            submitted_at=plan.submitted_at,
            sent_at=plan.sent_at,
            decided_at=plan.decided_at,
        )
        items.append(plan.item)
    Item.objects.bulk_create(items, batch_size=200)
    # bulk_create stamps auto_now with the load's time: each item was last changed at its
    # last step.
    for plan in plans:
        plan.item.updated_at = max([plan.written_at, *(step[2] for step in plan.steps)])
    Item.objects.bulk_update(items, ["updated_at"], batch_size=200)

    steps, outlets, instructions = [], [], []
    own_site = next((o for o in history.outlets.values() if o.own_site), None)
    column = cast.column
    for plan in plans:
        item = plan.item
        steps += [
            ItemStep(item=item, action=action, actor=actor, at=at, comment=comment)
            for action, actor, at, comment in plan.steps
        ]
        if plan.status == Status.ADOPTED:
            page = ArticlePage(
                title=plan.title,
                slug=f"xinxi-{item.pk}",
                owner=cast.office_officer,
                live=False,
                first_published_at=plan.published_at,
                source_section=plan.section,
                contributor=contributor(item),
                body=body_blocks(plan.body),
            )
            item.adopted_page = publish_back_dated(
                column, page, cast.office_officer, cast.publisher, plan.published_at
            )
            if own_site is not None:
                outlets.append(
                    OutletAdoption(
                        item=item,
                        outlet=own_site,
                        adopted_on=timezone.localdate(plan.published_at),
                        recorded_by=cast.office_officer,
                    )
                )
        for outlet, day, note in plan.outlets:
            outlets.append(
                OutletAdoption(
                    item=item,
                    outlet=outlet,
                    adopted_on=day,
                    note=note,
                    recorded_by=cast.office_officer,
                )
            )
        if plan.instruction is not None:
            level, leader, text, day = plan.instruction
            instructions.append(
                LeaderInstruction(
                    item=item,
                    level=level,
                    leader=leader,
                    instructed_on=day,
                    text=text,
                    recorded_by=cast.office_officer,
                )
            )
    adopted = [plan.item for plan in plans if plan.item.adopted_page_id]
    Item.objects.bulk_update(adopted, ["adopted_page"], batch_size=200)
    ItemStep.objects.bulk_create(steps, batch_size=500)
    OutletAdoption.objects.bulk_create(outlets, batch_size=500)
    LeaderInstruction.objects.bulk_create(instructions)
    return len(adopted), len(outlets), len(instructions)


# Column reviews ---------------------------------------------------------------------------------


def ensure_reviews(spec, users, authors, now):
    """ "已复核，内容仍准确" for the relatively fixed columns the data file names, by the owning
    section's 信息员 at an office hour ``days_ago`` days before ``now``; nothing when the
    database already holds a review. Returns how many were made."""
    if ColumnReview.objects.exists():
        return 0
    by_slug = sub_columns(HomePage.objects.get())
    rng = random.Random(spec["seed"])
    reviews = []
    for row in spec.get("reviews", []):
        column = by_slug.get(row["column"])
        if column is None or column.owner_section is None:
            continue
        day = timezone.localdate(now) - timedelta(days=row["days_ago"])
        minute = rng.randint(9 * 60, 17 * 60)
        moment = timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))
        reviews.append(
            ColumnReview(
                column=column,
                reviewed_by=officer_of(column.owner_section, users, authors),
                reviewed_at=min(moment, now - timedelta(minutes=1)),
                note=row.get("note", ""),
            )
        )
    ColumnReview.objects.bulk_create(reviews)
    return len(reviews)


# The load ---------------------------------------------------------------------------------------


@transaction.atomic
def ensure_reporting(users, authors, now, spec=None):
    """The rule data that is missing, a year of items up to ``now`` unless items already exist,
    and the column reviews unless reviews already exist. Returns a ``ReportingReport``."""
    spec = spec or load_reporting_spec()
    report = ReportingReport()
    ensure_quotas(spec, report)
    report.reviews = ensure_reviews(spec, users, authors, now)
    report.existing = Item.objects.count()
    if report.existing:
        return report
    column = adoption_column()
    if column is None or column.owner_section is None:
        report.skipped_reason = "采用栏目（工作动态）不存在"
        return report
    cast = Cast(users, authors, column)
    if cast.office_officer is None or cast.publisher is None:
        report.skipped_reason = f"演示账号中没有{column.owner_section.name}的信息员或主管主任"
        return report
    history = History(spec, cast, now)
    plans = history.run()
    report.pages, report.outlet_adoptions, report.instructions = write(history, plans)
    report.created = len(plans)
    statuses = dict(Status.choices)
    for plan in plans:
        label = statuses[plan.status]
        report.by_status[label] = report.by_status.get(label, 0) + 1
    return report
