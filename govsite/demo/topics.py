"""Demo 专栏 for 热点专题 (R-TOPIC-1, 第十一条): one open and one archived, each applied for by a
section and approved through its steps (``govsite.topics.actions``), then written in over the
year (``data/topics.toml``). An 专栏 already in the database — matched by its address under
热点专题 — is left as it is.

The applications are filed and decided through the real actions, then dated back to the days
the data file gives (the demo replays history, as ``pages.publish_back_dated`` does for pages).
"""

import io
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from govsite.demo.history import telling_nobody
from govsite.demo.pages import body_blocks, director_of, publish_back_dated
from govsite.images.models import GovImage
from govsite.notices.models import Notice
from govsite.sections.models import Section
from govsite.sections.rules import office_section
from govsite.topics import actions
from govsite.topics.models import (
    TopicApplication,
    TopicApplicationStep,
    TopicArticlePage,
    TopicPage,
    topic_column,
)

TOPICS_FILE = Path(__file__).resolve().parent / "data" / "topics.toml"
OFFICE_HOUR = 10
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


@dataclass
class TopicsReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_topics_spec(path=TOPICS_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _moment(now, days_ago, hour=OFFICE_HOUR):
    day = timezone.localdate(now) - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _font(size):
    """A Chinese font for the banner's words where the machine has one (fonts-noto-cjk)."""
    try:
        return ImageFont.truetype(CJK_FONT, size)
    except OSError:
        return None


def _banner(spec):
    """A conforming banner (第十七条: JPG, 4:3, 500×375) in the 专栏's colour."""
    image = Image.new("RGB", (500, 375), spec["colour"])
    draw = ImageDraw.Draw(image)
    for step in range(0, 500, 25):
        draw.line([(step, 375), (step + 200, 0)], fill="#ffffff", width=2)
    draw.rectangle([40, 250, 460, 330], fill="#ffffff")
    font = _font(34)
    if font is not None:
        draw.text((250, 290), spec["caption"], fill=spec["colour"], font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return GovImage.objects.create(
        title=spec["title"],
        caption=spec["caption"],
        file=SimpleUploadedFile(f"{spec['title']}.jpg", out.getvalue()),
    )


def _reviewers(section):
    office = office_section()
    chiefs = [section.chiefs().order_by("username").first()]
    if section != office:
        chiefs.append(office.chiefs().order_by("username").first())
    return [*chiefs, director_of(section)]


def _open(item, users, now):
    section = Section.objects.get(code=item["section"])
    applicant = users[item["applicant"]]
    today = timezone.localdate(now)
    starts_on = today - timedelta(days=item["starts_days_ago"])
    ends_on = today + timedelta(days=item["ends_in_days"])
    values = {
        "title": item["title"],
        "purpose": item["purpose"],
        # Filed with a period still to come; dated back below (an ended one cannot be filed).
        "starts_on": today,
        "ends_on": today + timedelta(days=1),
        "banner": _banner(item["banner"]),
        "boards": "\n".join(item["boards"]),
        "slug": item["slug"],
    }
    application = actions.file_application(applicant, section, values)
    for reviewer, opinion in zip(_reviewers(section), item["opinions"], strict=False):
        application = actions.approve(application, reviewer, opinion)
    # Dated back: applied, then decided a few days apart, then opened on its first day.
    applied = _moment(now, item["applied_days_ago"], 9)
    TopicApplication.objects.filter(pk=application.pk).update(
        requested_at=applied,
        starts_on=starts_on,
        ends_on=ends_on,
        closed_at=_moment(now, item["starts_days_ago"] + 1, 16),
    )
    steps = TopicApplicationStep._base_manager.filter(application=application).order_by("pk")
    for number, step in enumerate(steps):
        acted = applied + timedelta(days=2 * number, hours=number)
        TopicApplicationStep._base_manager.filter(pk=step.pk).update(acted_at=acted)
    opened = _moment(now, item["starts_days_ago"])
    TopicPage.objects.filter(pk=application.topic_id).update(
        starts_on=starts_on, ends_on=ends_on, first_published_at=opened
    )
    return TopicPage.objects.get(pk=application.topic_id), applicant, _reviewers(section)[-1]


def _write(topic, item, officer, director, now):
    boards = {board.name: board for board in topic.board_list()}
    for entry in item["items"]:
        published_at = _moment(now, entry["days_ago"])
        page = TopicArticlePage(
            title=entry["title"],
            slug=f"{topic.slug}-{entry['days_ago']}",
            owner=officer,
            live=False,
            first_published_at=published_at,
            board=boards[entry["board"]],
            body=body_blocks(entry["body"]),
        )
        publish_back_dated(topic, page, officer, director, published_at)


def ensure_topics(users, now=None, path=TOPICS_FILE):
    """The 专栏 of ``data/topics.toml`` that are missing, with their content; an ended one is
    archived as the nightly task would have done the day after its end."""
    now = now or timezone.now()
    report = TopicsReport()
    column = topic_column()
    for item in load_topics_spec(path)["topics"]:
        if column is None or TopicPage.objects.child_of(column).filter(slug=item["slug"]).exists():
            report.skipped.append(item["title"])
            continue
        last_notice = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with telling_nobody():
            topic, officer, director = _open(item, users, now)
            _write(topic, item, officer, director, now)
            if topic.ends_on < timezone.localdate(now):
                actions.archive_topic(topic, now=_moment(now, -item["ends_in_days"] - 1, 0))
        # Replayed history: its notices (待您审核, 专栏已开设…) were settled long ago.
        Notice.objects.filter(pk__gt=last_notice).delete()
        report.created.append(item["title"])
    return report
