"""办事指南 of the demo (R-SERVICE-1): four guides in 业务工作流程 with every key element, their
materials and a downloadable blank form each may name, from ``data/services.toml``.

The forms are written here as small Word files (a .docx is a zip of a few XML parts) and kept
as documents of the library, found again by title on the next load. Guides already there —
matched by slug under their sub-column — are left as they are.
"""

import html
import io
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page

from govsite.demo.pages import body_blocks, publish_back_dated
from govsite.services.models import GuideMaterial, ServiceGuidePage

SERVICES_FILE = Path(__file__).resolve().parent / "data" / "services.toml"

GUIDE_FIELDS = [
    "matter_type",
    "place",
    "hours",
    "covers_holidays",
    "fee_kind",
    "fee_standard",
    "legal_days",
    "promised_days",
    "consult_phone",
    "complaint_phone",
    "online_url",
]
MATERIAL_FIELDS = ["name", "copies", "original", "necessity", "note"]

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


@dataclass
class ServicesReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_services_spec(path=SERVICES_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def form_docx(paragraphs):
    """A plain Word document of ``paragraphs``, the first one bold (the form's title)."""
    runs = []
    for number, text in enumerate(paragraphs):
        bold = "<w:rPr><w:b/></w:rPr>" if number == 0 else ""
        runs.append(f'<w:p><w:r>{bold}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{''.join(runs)}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        package.writestr("_rels/.rels", DOCX_RELS)
        package.writestr("word/document.xml", document)
    return buffer.getvalue()


def ensure_form(form):
    """The library's document for a blank form of the data file, made on the first load."""
    Document = get_document_model()
    document = Document.objects.filter(title=form["title"]).first()
    if document is None:
        document = Document(title=form["title"])
        document.file.save(form["filename"], ContentFile(form_docx(form["paragraphs"])), save=False)
        document.save()
    return document


def _paragraphs(text):
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def build_guide(item, forms):
    """An unsaved ServiceGuidePage of one ``[[guides]]`` entry, its materials attached."""
    guide = ServiceGuidePage(
        title=item["title"],
        slug=item["slug"],
        live=False,
        conditions=_paragraphs(item["conditions"]),
        basis=[("basis", basis) for basis in item["basis"]],
        steps=[("step", step) for step in item["steps"]],
        body=body_blocks(item.get("body", "")),
        **{name: item[name] for name in GUIDE_FIELDS},
    )
    guide.materials = [
        GuideMaterial(
            **{name: material[name] for name in MATERIAL_FIELDS},
            document=forms[material["form"]] if material.get("form") else None,
        )
        for material in item["materials"]
    ]
    return guide


def ensure_guides(by_slug, author_of, publisher_of, published_at_of, path=SERVICES_FILE):
    """Publish the guides of the data file that are not there yet. ``by_slug`` gives the
    sub-columns; ``author_of``/``publisher_of`` a section's 信息员 and 主管主任;
    ``published_at_of`` an entry's 发布时间."""
    spec = load_services_spec(path)
    report = ServicesReport()
    forms = None
    for item in spec["guides"]:
        sub_column = by_slug[item["column"]]
        label = f"{sub_column.title}/{item['slug']}"
        if Page.objects.child_of(sub_column).filter(slug=item["slug"]).exists():
            report.skipped.append(label)
            continue
        if forms is None:
            forms = {form["key"]: ensure_form(form) for form in spec["forms"]}
        officer = author_of(sub_column.owner_section)
        guide = build_guide(item, forms)
        guide.owner = officer
        published_at = published_at_of(item)
        guide.first_published_at = published_at
        publish_back_dated(
            sub_column, guide, officer, publisher_of(sub_column.owner_section), published_at
        )
        report.created.append(label)
    return report
