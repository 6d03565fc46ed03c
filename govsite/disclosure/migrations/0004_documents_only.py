"""公文栏目 hold documents only (R-OPEN-1, 第十条).

On a database built before the disclosure app, the 公文栏目 of data/columns.toml (政策法规, 政府文件,
政府办文件, 人事任免, 政务公开目录) are still plain sub-columns holding plain articles; on one built
since, a 公文栏目 may still hold articles (it took them until now). Both become what a new site has:

- each of those sub-columns a ``DocumentColumnPage`` with its category from data/columns.toml;
- every article (or profile) in any 公文栏目 a ``DocumentPage``: its row of the document table
  is inserted under the same page, and every record that names the page by its type (the page,
  its revisions, its workflow states, log entries, references and search index entries) is
  switched to the document type. Attachments, comments, subscriptions and workflow history hang
  on the page's id and stay; its revisions open in the editor as documents (the fields they
  lack take their defaults, 发布机构 and 政务公开目录类别 as the page has them).
- a live converted document gets its 索引号 here, in order of first publication, by the same
  rule and sequences as a document published in the editor (``rules.issue_index_number``):
  the office numbers documents that are already public. One taken offline gets its number
  when it is published again, as any document does.

The numbers use 政务公开设置 as it stands; on a database without the setting yet, the model's
defaults (a placeholder 统一社会信用代码) — docs/disclosure.md says how to enter the office's code
before this migration runs.

Backwards: nothing is undone. The state before this migration already admits documents in a
公文栏目, and turning a document back into an article would drop its metadata and its 索引号,
which is never reused or withdrawn once public.
"""

import tomllib
from pathlib import Path

from django.db import migrations, models

from govsite.disclosure.rules import issue_index_number

COLUMNS_FILE = Path(__file__).resolve().parent.parent / "data" / "columns.toml"

# Records that name a page by its specific type: (app, model, type field, id field).
TYPED_RECORDS = (
    ("wagtailcore", "Revision", "content_type", "object_id"),
    ("wagtailcore", "WorkflowState", "content_type", "object_id"),
    ("wagtailcore", "ReferenceIndex", "content_type", "object_id"),
    ("wagtailcore", "PageLogEntry", "content_type", "page_id"),
    ("wagtailsearch", "IndexEntry", "content_type", "object_id"),
    ("wagtailadmin", "EditingSession", "content_type", "object_id"),
)


def column_categories():
    with open(COLUMNS_FILE, "rb") as handle:
        return tomllib.load(handle)["categories"]


def retype(apps, pk, old, new, fields=None):
    """The page ``pk`` of content type ``old`` becomes ``new``; its revisions carry ``fields``
    (the values its new table row holds) so that an editor opening one shows them."""
    apps.get_model("wagtailcore", "Page").objects.filter(pk=pk).update(content_type=new)
    for app_label, model_name, type_field, id_field in TYPED_RECORDS:
        model = apps.get_model(app_label, model_name)
        value = pk if id_field == "page_id" else str(pk)
        model.objects.filter(**{type_field: old, id_field: value}).update(**{type_field: new})
    if fields:
        Revision = apps.get_model("wagtailcore", "Revision")
        for revision in Revision.objects.filter(content_type=new, object_id=str(pk)):
            revision.content = {**revision.content, **fields}
            revision.save(update_fields=["content"])


def document_columns(apps, schema_editor):
    """The named sub-columns become 公文栏目 with their default category."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    SubColumnPage = apps.get_model("columns", "SubColumnPage")
    DocumentColumnPage = apps.get_model("disclosure", "DocumentColumnPage")
    plain = ContentType.objects.filter(app_label="columns", model="subcolumnpage").first()
    if plain is None:  # a new database: the bootstrap builds the tree after the migrations
        return
    special, _ = ContentType.objects.get_or_create(
        app_label="disclosure", model="documentcolumnpage"
    )
    categories = column_categories()
    for page in SubColumnPage.objects.filter(slug__in=categories, depth=4, content_type=plain):
        category = categories[page.slug]
        DocumentColumnPage(subcolumnpage_ptr_id=page.pk, catalogue_category=category).save_base(
            raw=True
        )
        retype(apps, page.pk, plain, special, {"catalogue_category": category})


def settings_values(apps):
    DisclosureSettings = apps.get_model("disclosure", "DisclosureSettings")
    row = DisclosureSettings.objects.order_by("pk").first()
    if row is not None:
        return row.credit_code, row.index_pattern, row.publisher
    field = DisclosureSettings._meta.get_field
    return tuple(field(name).get_default() for name in ("credit_code", "index_pattern", "publisher"))


def documents(apps, schema_editor):
    """Every article and profile in a 公文栏目 becomes a document; the live ones are numbered."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    ArticlePage = apps.get_model("columns", "ArticlePage")
    ProfilePage = apps.get_model("columns", "ProfilePage")
    DocumentColumnPage = apps.get_model("disclosure", "DocumentColumnPage")
    DocumentPage = apps.get_model("disclosure", "DocumentPage")
    IndexSequence = apps.get_model("disclosure", "IndexSequence")
    types = {
        name: ContentType.objects.filter(app_label="columns", model=name).first()
        for name in ("articlepage", "profilepage")
    }
    types = {name: content_type for name, content_type in types.items() if content_type}
    if not types:
        return
    document_type, _ = ContentType.objects.get_or_create(
        app_label="disclosure", model="documentpage"
    )
    code, pattern, publisher = settings_values(apps)
    converted = []
    for column in DocumentColumnPage.objects.order_by("path"):
        children = Page.objects.filter(
            path__startswith=column.path,
            depth=column.depth + 1,
            content_type__in=types.values(),
        ).order_by("path")
        for page in children:
            old_type = page.content_type
            if old_type == types.get("profilepage"):
                # A profile has an article's fields but 副标题 and 供稿: it becomes an article
                # first (the same page and content), then a document.
                profile = ProfilePage.objects.get(pk=page.pk)
                ArticlePage(
                    page_ptr_id=page.pk,
                    source_section_id=profile.source_section_id,
                    classification=profile.classification,
                    body=profile.body,
                ).save_base(raw=True)
                # Django's own delete: the page itself (and Wagtail's subtree delete) stays.
                models.Model.delete(profile, keep_parents=True)
            fields = {"publisher": publisher, "catalogue_category": column.catalogue_category}
            DocumentPage(articlepage_ptr_id=page.pk, **fields).save_base(raw=True)
            retype(apps, page.pk, old_type, document_type, fields)
            converted.append(page)
    # Numbered in order of first publication; a revision need not carry the number (a document
    # keeps the 索引号 stored on its page whichever revision is published).
    public = sorted(
        (page for page in converted if page.live and page.first_published_at),
        key=lambda page: (page.first_published_at, page.pk),
    )
    for page in public:
        number = issue_index_number(
            code, pattern, page.first_published_at, sequences=IndexSequence, documents=DocumentPage
        )
        DocumentPage.objects.filter(pk=page.pk).update(index_number=number)


def documents_only(apps, schema_editor):
    document_columns(apps, schema_editor)
    documents(apps, schema_editor)


def keep_documents(apps, schema_editor):
    """Nothing to undo: see the module's docstring."""


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0003_topics_as_gov_cn_lists_them"),
        ("columns", "0006_article_contributor"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(documents_only, keep_documents)]
