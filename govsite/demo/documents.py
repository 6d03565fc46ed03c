"""政务公开 metadata of the demo documents (R-OPEN-1): data/documents.toml, by item slug. Every
item of a 公文栏目 becomes a ``DocumentPage`` with its 发文字号 (read from the body's first line),
成文日期, 主题分类, 体裁, 关键词 and 内容概述; a 政策解读 names the policy it interprets."""

import tomllib
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from govsite.disclosure.models import DocumentPage, Genre, TopicCategory
from govsite.disclosure.rules import DOCUMENT_NUMBER

DOCUMENTS_FILE = Path(__file__).resolve().parent / "data" / "documents.toml"
# 成文日期 of a demo document: the {written} day of its text.
WRITTEN_BEFORE = timedelta(days=2)


def load_documents(path=DOCUMENTS_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)["documents"]


def _topic(path):
    top, _, child = (part.strip() for part in path.partition("›"))
    return TopicCategory.objects.get(parent__name=top, parent__parent=None, name=child)


def document_fields(item, body_text, published_at, documents=None):
    """The metadata fields of the demo item ``item`` (its body already filled in)."""
    documents = load_documents() if documents is None else documents
    meta = documents.get(item["slug"], {})
    first_line = body_text.strip().splitlines()[0].strip() if body_text.strip() else ""
    fields = {
        "document_number": first_line if DOCUMENT_NUMBER.match(first_line) else "",
        "written_on": timezone.localtime(published_at).date() - WRITTEN_BEFORE,
        "keywords": meta.get("keywords", ""),
        "summary": meta.get("summary", ""),
    }
    if meta.get("publisher"):
        fields["publisher"] = meta["publisher"]
    if meta.get("topic"):
        fields["topic"] = _topic(meta["topic"])
    if meta.get("genre"):
        fields["genre"] = Genre.objects.get(name=meta["genre"])
    if meta.get("interprets"):
        # 政策解读: the demo policy it interprets (loaded before it, published the same day).
        fields["interprets"] = DocumentPage.objects.filter(slug=meta["interprets"]).first()
    return fields
