"""第十条: each 公文栏目's default 政务公开目录 category, and the columns of other content the
catalogue links under a category, as data (data/columns.toml)."""

import tomllib
from pathlib import Path

from govsite.columns.models import SubColumnPage, live_structure, published_items

from .models import CatalogueCategory, DocumentColumnPage

COLUMNS_FILE = Path(__file__).resolve().parent / "data" / "columns.toml"


def load_column_categories(path=COLUMNS_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)["categories"]


def load_linked_columns(path=COLUMNS_FILE):
    """{category: [sub-column slug]} of the columns whose content is not documents."""
    with open(path, "rb") as handle:
        linked = tomllib.load(handle).get("linked", {})
    return {CatalogueCategory(category): slugs for category, slugs in linked.items()}


def linked_columns(linked=None):
    """{category: [live sub-column]} for the catalogue's links (no query: the columns come from
    the render cache of the live structure)."""
    linked = load_linked_columns() if linked is None else linked
    by_slug = {
        page.slug: page
        for page in live_structure()
        if issubclass(page.specific_class, SubColumnPage)
    }
    return {
        category: [by_slug[slug] for slug in slugs if slug in by_slug]
        for category, slugs in linked.items()
    }


def apply_column_categories(categories=None):
    """Give each 公文栏目 named in the file its category while it still has the model's default
    (a category 综合科 chose in the admin stays). Returns what was set, for the bootstrap's
    report."""
    categories = load_column_categories() if categories is None else categories
    done = []
    default = DocumentColumnPage._meta.get_field("catalogue_category").default
    for column in DocumentColumnPage.objects.filter(slug__in=categories):
        category = CatalogueCategory(categories[column.slug])
        if column.catalogue_category == default and category != default:
            column.catalogue_category = category
            # Published as a revision, so a later edit of the column starts from it.
            column.save_revision().publish()
            done.append(f"公文栏目「{column.title}」的政务公开目录类别：{category.label}")
    return done


HOME_NOTICES = 8


def notices_column(home):
    """通知公告 (R-SITE-1, 第十条(四)): the first live 公文栏目 under ``home`` whose category is
    公告、公示、通知, in tree order; None when the site has none."""
    columns = DocumentColumnPage.objects.live().descendant_of(home)
    return columns.filter(catalogue_category=CatalogueCategory.NOTICES).order_by("path").first()


def latest_notices(home, count=HOME_NOTICES):
    """(the 通知公告 column, its ``count`` newest items with their dates), or (None, [])."""
    column = notices_column(home)
    if column is None:
        return None, []
    return column, list(published_items(column)[:count])
