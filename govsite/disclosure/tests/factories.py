"""Documents created the way the system does (R-OPEN-1)."""

from datetime import date

from govsite.columns.forms import dated_slug
from govsite.disclosure.models import DocumentColumnPage, DocumentPage, Genre, TopicCategory


def document_column(title="政府文件"):
    return DocumentColumnPage.objects.get(title=title)


def topic(top="综合政务", name="政务公开"):
    return TopicCategory.objects.get(parent__name=top, parent__parent=None, name=name)


def genre(name="通知"):
    return Genre.objects.get(name=name)


def full_metadata(**fields):
    return {
        "document_number": "临政办发〔2026〕28号",
        "written_on": date(2026, 1, 5),
        "topic": topic(),
        "genre": genre(),
        "keywords": "政务公开 工作要点",
        "summary": "部署本年度政务公开重点工作。",
        **fields,
    }


def add_document(
    column=None, title="关于印发政务公开工作要点的通知", owner=None, publish=True, **fields
):
    column = column or document_column()
    fields.setdefault("slug", dated_slug())  # as the editor's form gives a Chinese title
    page = column.add_child(instance=DocumentPage(title=title, owner=owner, live=False, **fields))
    revision = page.save_revision(user=owner)
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
