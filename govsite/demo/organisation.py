"""机构概况 of the demo (第十条): the office's leaders in 领导简介, each with a generated portrait
made conforming by the image rule, and a full 机构职能 page, from ``data/organisation.toml``.

The portraits are drawn with Pillow — a plain figure, no real person — as 3:4 证件照 with the
head in the upper part, then go through ``govsite.images.rules`` as an upload would: refused
(3:4, not a JPEG), and its conforming version, cropped 4:3 around the head, stored. Pages already
there — matched by slug under their sub-column — are left as they are.
"""

import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from PIL import Image, ImageDraw
from wagtail.models import Page

from govsite.demo.pages import body_blocks, publish_back_dated
from govsite.images import rules
from govsite.images.models import GovImage
from govsite.organisation.models import FunctionsPage, InternalUnit, LeaderPage
from govsite.sections.models import Section

ORGANISATION_FILE = Path(__file__).resolve().parent / "data" / "organisation.toml"
PORTRAIT_SIZE = (360, 480)  # 3:4, as a 证件照 is taken
SKIN = "#e8c4a8"


@dataclass
class OrganisationReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_organisation_spec(path=ORGANISATION_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def draw_portrait(colours, size=PORTRAIT_SIZE):
    """A 证件照-like drawing: plain background, shoulders in a suit, a head in the upper part.
    Returns the picture and the head's centre (where the focal point would be)."""
    width, height = size
    image = Image.new("RGB", size, colours["background"])
    draw = ImageDraw.Draw(image)
    head = (width // 2, int(height * 0.36))
    rx, ry = width // 7, int(height * 0.12)
    neck = (head[0] - rx // 2, head[1] + ry - 10, head[0] + rx // 2, head[1] + ry + 40)
    draw.rectangle(neck, fill=SKIN)
    shoulders = (width // 10, head[1] + ry + 25, width - width // 10, height + height // 3)
    draw.ellipse(shoulders, fill=colours["suit"])
    collar = [(head[0] - rx, head[1] + ry + 28), (head[0], head[1] + ry + 90)]
    draw.polygon([*collar, (head[0] + rx, head[1] + ry + 28)], fill="white")
    draw.ellipse((head[0] - rx, head[1] - ry, head[0] + rx, head[1] + ry), fill=SKIN)
    draw.chord(
        (head[0] - rx - 4, head[1] - ry - 8, head[0] + rx + 4, head[1] + ry // 2),
        180,
        360,
        fill=colours["hair"],
    )
    eye_y = head[1] + 2
    for dx in (-rx // 2.5, rx // 2.5):
        x = head[0] + dx
        draw.ellipse((x - 4, eye_y - 3, x + 4, eye_y + 3), fill="#2a2a2a")
    draw.line((head[0] - 12, head[1] + ry // 2, head[0] + 12, head[1] + ry // 2), "#a0524a", 3)
    return image, head


def ensure_photo(leader):
    """The library's conforming photo of ``leader`` (a ``[[leaders]]`` entry), made once."""
    title = f"{leader['title']}照片"
    photo = GovImage.objects.filter(title=title).first()
    if photo is not None:
        return photo
    picture, _head = draw_portrait(leader["colours"])
    upload = io.BytesIO()
    picture.save(upload, "PNG")
    inspection = rules.inspect(upload)
    if not inspection.problems:  # a drawn 3:4 PNG never conforms as it is
        raise ImproperlyConfigured("演示照片应当先被第十七条拒收。")
    version = rules.make_conforming(upload, f"{leader['slug']}.png")
    photo = GovImage(title=title, caption=f"{leader['title']}同志")
    photo.file.save(version.name, version.as_upload(), save=False)
    photo.save()
    return photo


def build_leader(item):
    leader = LeaderPage(
        title=item["title"],
        slug=item["slug"],
        live=False,
        post=item["post"],
        duties=item["duties"],
        photo=ensure_photo(item),
        body=body_blocks(item["cv"]),
    )
    leader.supervised_sections = list(Section.objects.filter(code__in=item["sections"]))
    return leader


def build_functions(spec):
    page = FunctionsPage(
        title=spec["title"],
        slug=spec["slug"],
        live=False,
        body=body_blocks(spec["duties"]),
        **{name: spec[name] for name in ("address", "postcode", "phone", "fax", "email")},
        office_hours=spec["office_hours"],
    )
    page.units = [InternalUnit(**unit) for unit in spec["units"]]
    return page


def ensure_organisation(by_slug, author_of, publisher_of, published_at_of, path=ORGANISATION_FILE):
    """Publish the leaders and the 机构职能 page of the data file that are not there yet.
    ``by_slug`` gives the sub-columns; ``author_of``/``publisher_of`` a section's 信息员 and
    主管主任; ``published_at_of`` an entry's 发布时间."""
    spec = load_organisation_spec(path)
    report = OrganisationReport()
    planned = [("ldjj", item, build_leader) for item in spec["leaders"]]
    planned.append(("jgzn", spec["functions"], build_functions))
    for slug, item, build in planned:
        sub_column = by_slug[slug]
        label = f"{sub_column.title}/{item['slug']}"
        if Page.objects.child_of(sub_column).filter(slug=item["slug"]).exists():
            report.skipped.append(label)
            continue
        officer = author_of(sub_column.owner_section)
        page = build(item)
        page.owner = officer
        published_at = published_at_of(item)
        page.first_published_at = published_at
        publish_back_dated(
            sub_column, page, officer, publisher_of(sub_column.owner_section), published_at
        )
        report.created.append(label)
    return report
