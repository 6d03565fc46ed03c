"""The public views over the documents' metadata (第十条, R-OPEN-1, R-OPEN-2), as page types of
the site tree (site_tree.toml names them):

- ``CataloguePage`` — 政务公开 › 政务公开目录: every document of the site, browsed by 第十条's six
  categories, 主题分类, 体裁, 发布机构 and year, with links to the columns of each category whose
  content is not documents (data/columns.toml ``[linked]``). A 公文栏目 itself (its own documents,
  such as the 公开指南 and 年度报告, are listed with the rest).
- ``PolicyLibraryPage`` — 政策文件: the documents of its sub-columns, filtered by sub-column,
  发布机构, year and 有效性, with a search box over the project's Chinese search; a policy with a
  published 解读 shows a link to it.

Both are views (``catalogue.Listing``), never copies. Their stored files are purged whenever a
document anywhere changes (``DocumentPage.shown_on``, read by ``govsite.publishing.rules``); a
filtered address is never stored (only ``?page=N`` is).
"""

from wagtail.models import Page

from govsite.columns.models import ColumnPage, SubColumnPage, live_children

from . import catalogue
from .columns import linked_columns
from .models import CatalogueCategory, DocumentColumnPage

CATALOGUE_FACETS = (
    catalogue.CATEGORY,
    catalogue.TOPIC,
    catalogue.GENRE,
    catalogue.PUBLISHER,
    catalogue.YEAR,
)
LIBRARY_FACETS = (
    catalogue.COLUMN,
    catalogue.PUBLISHER,
    catalogue.YEAR,
    catalogue.VALIDITY,
)


def site_home(page):
    """The home page above ``page`` (the root of its site), as the listing's scope: only its
    tree path and depth are read, so it is not fetched."""
    return Page(path=page.path[: Page.steplen * 2], depth=2)


class CataloguePage(DocumentColumnPage):
    """政务公开目录 (《政府信息公开条例》第十条, R-OPEN-1): the catalogue of the site's documents,
    first by the six categories of 第十条, then by 主题分类, 体裁, 发布机构 and year; each entry
    shows 索引号, title, 发文字号 and 发布日期. A view over the metadata, not a second copy."""

    subpage_types = ["disclosure.DocumentPage"]
    parent_page_types = ["columns.ColumnPage"]
    max_count = 1
    template = "disclosure/catalogue_page.html"
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "政务公开目录"

    def get_context(self, request, *args, **kwargs):
        # The sub-column's own list of items is not shown: the catalogue replaces it.
        context = super(SubColumnPage, self).get_context(request, *args, **kwargs)
        listing = catalogue.Listing(request.GET, site_home(self), CATALOGUE_FACETS)
        facets = listing.facets()
        chosen = listing.values.get(catalogue.CATEGORY)
        links = linked_columns()
        context.update(
            listing=listing,
            items=listing.page,
            categories=facets[0],
            facets=facets[1:],
            linked=[
                (CatalogueCategory(option.value), option, links.get(option.value, []))
                for option in facets[0].options
            ],
            chosen_category=CatalogueCategory(chosen) if chosen else None,
        )
        return context


class PolicyLibraryPage(ColumnPage):
    """政策文件 as a policy library (R-OPEN-2, 第十条 法律法规和政策依据): the documents of its
    sub-columns (政策法规, 政府文件, 政府办文件, 政策解读) filtered by sub-column, 发布机构, year
    and 有效性, searched with the site's Chinese search within the library (a 发文字号 or 索引号
    finds its document first); a policy shows the link to its published 解读."""

    parent_page_types = ["columns.HomePage"]
    subpage_types = ["columns.SubColumnPage", "disclosure.DocumentColumnPage"]
    max_count = 1
    template = "disclosure/policy_library_page.html"
    static_publish = True  # 静态发布: stored as a file for anonymous visitors (govsite/publishing)

    class Meta:
        verbose_name = "政策文件库"

    def get_context(self, request, *args, **kwargs):
        # The column's own list of items is not shown: the library replaces it.
        context = super(ColumnPage, self).get_context(request, *args, **kwargs)
        listing = catalogue.Listing(request.GET, self, LIBRARY_FACETS, searchable=True)
        context.update(
            listing=listing,
            items=listing.page,
            facets=listing.facets(),
            sub_columns=live_children(self),
        )
        return context
