"""领导简介 (ldjj) and 机构职能 (jgzn), built before this app as plain sub-columns holding 简介页,
become LeaderColumnPage and FunctionsColumnPage, as site_tree.toml now names them; each 简介页
in them becomes a LeaderPage (keeping its title, and its body as 简历) or a FunctionsPage
(keeping its body as 主要职责). Both new page types are kinds of 简介页, so the conversion only
adds their rows and changes the type of the page, its revisions and its search entry; what they add (职务, 分工, 照片;
内设机构, 联系方式) is left for 综合科 to fill in. Reversed, they are plain 简介页 and
sub-columns again."""

import importlib

from django.db import migrations

columns_0003 = importlib.import_module(
    "govsite.columns.migrations.0003_supervisionphonepage_sitesettings_supervision_hours_and_more"
)

# sub-column slug → (its column type, the type its 简介页 become)
CONVERSIONS = {
    "ldjj": ("leadercolumnpage", "leaderpage"),
    "jgzn": ("functionscolumnpage", "functionspage"),
}


def _retype(apps, page_pk, old, new):
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    Page.objects.filter(pk=page_pk).update(content_type=new)
    Revision.objects.filter(object_id=str(page_pk), content_type=old).update(content_type=new)
    # The search index keeps an entry per concrete type: moved, not left behind as a duplicate.
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    IndexEntry.objects.filter(object_id=str(page_pk), content_type=old).update(content_type=new)


def convert(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ProfilePage = apps.get_model("columns", "ProfilePage")
    SubColumnPage = apps.get_model("columns", "SubColumnPage")
    profile = ContentType.objects.filter(app_label="columns", model="profilepage").first()
    for slug, (column_type, page_type) in CONVERSIONS.items():
        columns_0003.specialise_sub_column(apps, slug, "organisation", column_type)
        if profile is None:
            continue
        special, _ = ContentType.objects.get_or_create(app_label="organisation", model=page_type)
        model = apps.get_model("organisation", page_type)
        for column in SubColumnPage.objects.filter(slug=slug, depth=4):
            profiles = ProfilePage.objects.filter(
                depth=column.depth + 1, path__startswith=column.path, content_type=profile
            )
            for page in profiles:
                extra = {"post": "", "duties": ""} if page_type == "leaderpage" else {}
                model(profilepage_ptr_id=page.pk, **extra).save_base(raw=True)
                _retype(apps, page.pk, profile, special)


def revert(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    profile = ContentType.objects.filter(app_label="columns", model="profilepage").first()
    for column_type, page_type in CONVERSIONS.values():
        special = ContentType.objects.filter(app_label="organisation", model=page_type).first()
        if special is not None and profile is not None:
            for pk in Page.objects.filter(content_type=special).values_list("pk", flat=True):
                _retype(apps, pk, special, profile)
        columns_0003.generalise_sub_columns(apps, "organisation", column_type)


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_leaders_and_functions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(convert, revert)]
