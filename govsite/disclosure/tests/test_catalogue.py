"""政务公开目录 and the policy library (第十条, R-OPEN-1, R-OPEN-2): one filtered listing over the
documents' metadata. Each filter narrows the list; every option's count equals the documents the
option lists; bad values are left out with a Chinese notice, never an error."""

from datetime import date, timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from govsite.disclosure import catalogue, listing_index
from govsite.disclosure.catalogue import Listing
from govsite.disclosure.models import CatalogueCategory, DocumentPage, Validity
from govsite.disclosure.pages import (
    CATALOGUE_FACETS,
    LIBRARY_FACETS,
    CataloguePage,
    PolicyLibraryPage,
    site_home,
)

from .factories import add_document, document_column, full_metadata, genre, topic

pytestmark = pytest.mark.django_db

ALL_FACETS = (*CATALOGUE_FACETS, catalogue.VALIDITY, catalogue.COLUMN)


def published(page, days_ago):
    """Move ``page``'s publication ``days_ago`` back (documents listed newest first); a
    direct write, so the listing index is refreshed as ``rebuild_listing_index`` would."""
    moment = timezone.now() - timedelta(days=days_ago)
    Page.objects.filter(pk=page.pk).update(first_published_at=moment)
    listing_index.refresh([page.pk])
    return DocumentPage.objects.get(pk=page.pk)


@pytest.fixture
def documents(site_tree):
    """Six documents in three 公文栏目, with different metadata; one last year."""
    made = {
        "plan": add_document(
            document_column("政府文件"),
            title="关于印发数字政府建设实施方案的通知",
            **full_metadata(
                document_number="临政发〔2026〕3号", topic=topic("综合政务", "政务公开")
            ),
        ),
        "opinion": add_document(
            document_column("政府文件"),
            title="关于优化营商环境的实施意见",
            **full_metadata(
                document_number="临政发〔2026〕9号",
                genre=genre("意见"),
                topic=topic("综合政务", "政务公开"),
            ),
        ),
        "office": add_document(
            document_column("政府办文件"),
            title="关于做好冬春季节安全生产工作的通知",
            **full_metadata(
                document_number="临政办发〔2026〕5号",
                publisher="临江区应急管理局",
                topic=topic("市场监管、安全生产监管", "安全生产监管"),
            ),
        ),
        "repealed": add_document(
            document_column("政府办文件"),
            title="关于印发旧版公文管理办法的通知",
            **full_metadata(
                document_number="临政办发〔2020〕2号",
                validity=Validity.REPEALED,
                validity_changed_on=date(2026, 1, 1),
                written_on=date(2020, 1, 5),
            ),
        ),
        "law": add_document(
            document_column("政策法规"),
            title="政府网站管理办法",
            **full_metadata(document_number="", genre=genre("其他")),
        ),
        "guide": add_document(
            document_column("政务公开目录"),
            title="政府信息公开指南",
            **full_metadata(document_number="", genre=genre("其他"), topic=None),
        ),
    }
    for days, key in enumerate(made):
        made[key] = published(made[key], days)
    made["repealed"] = published(made["repealed"], 400)
    return made


def listing(query="", scope=None, facets=ALL_FACETS, searchable=False):
    scope = scope or site_home(CataloguePage.objects.get())
    return Listing(QueryDict(query), scope, facets, searchable=searchable)


def titles(found):
    return [document.title for document in found.page.object_list]


def test_the_unfiltered_catalogue_lists_every_live_document_newest_first(documents):
    draft = add_document(title="尚未发布的通知", publish=False)
    found = listing()
    assert titles(found) == [
        documents[key].title for key in ("plan", "opinion", "office", "law", "guide", "repealed")
    ]
    assert draft.title not in titles(found)
    assert found.notices == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=laws", {"plan", "opinion", "office", "repealed", "law"}),
        ("category=other", {"guide"}),
        ("genre={意见}", {"opinion"}),
        ("topic={综合政务}", {"plan", "opinion", "repealed", "law"}),
        ("topic={安全生产监管}", {"office"}),
        ("publisher=临江区应急管理局", {"office"}),
        ("validity=repealed", {"repealed"}),
        ("column={政府办文件}", {"office", "repealed"}),
        ("genre={通知}&column={政府文件}", {"plan"}),
    ],
)
def test_each_filter_narrows_the_list(documents, query, expected):
    ids = {
        "{意见}": genre("意见").pk,
        "{通知}": genre("通知").pk,
        "{综合政务}": topic("综合政务", "政务公开").parent_id,
        "{安全生产监管}": topic("市场监管、安全生产监管", "安全生产监管").pk,
        "{政府办文件}": document_column("政府办文件").pk,
        "{政府文件}": document_column("政府文件").pk,
    }
    for placeholder, pk in ids.items():
        query = query.replace(placeholder, str(pk))
    found = listing(query)
    assert set(titles(found)) == {documents[key].title for key in expected}
    assert found.notices == []


def test_the_year_filter_reads_the_publication_date_in_the_office_time_zone(documents):
    this_year = timezone.localdate().year
    repealed_year = timezone.localtime(documents["repealed"].first_published_at).year
    assert documents["repealed"].title in titles(listing(f"year={repealed_year}"))
    assert documents["plan"].title not in titles(listing(f"year={repealed_year}"))
    assert documents["plan"].title in titles(listing(f"year={this_year}"))


def test_every_count_equals_the_documents_its_option_lists(documents):
    """R-OPEN-1: the catalogue's counts equal the documents'; with a filter in force too."""
    top = topic("综合政务", "政务公开").parent_id
    queries = ("", f"genre={genre('通知').pk}", "validity=valid", f"topic={top}&validity=valid")
    for query in queries:
        found = listing(query)
        for facet in found.facets():
            options = [o for top in facet.options for o in [top, *top.children]]
            assert options, facet.name
            for option in options:
                narrowed = listing(f"{query}&{facet.name}={option.value}".lstrip("&"))
                assert option.count == narrowed.page.paginator.count, (query, facet.name, option)
                # The number counted is the number of documents the list shows (one page).
                assert option.count == len(narrowed.page.object_list), (query, facet.name)


def test_a_category_with_no_document_is_still_offered_with_zero(documents):
    categories = listing().facets()[0]
    assert [o.value for o in categories.options] == list(CatalogueCategory.values)
    assert {o.value: o.count for o in categories.options}["complaints"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=20260",
        "topic=999999",
        "topic=x",
        "genre=-1",
        "column=1",
        "category=secret",
        "validity=forever",
        "page=abc",
        "page=99999",
    ],
)
def test_bad_filter_values_give_the_unfiltered_list_and_say_so(client, documents, query):
    found = listing(query)
    assert len(titles(found)) == 6
    if not query.startswith("page="):
        assert len(found.notices) == 1 and "无效，已忽略" in found.notices[0]
    response = client.get(f"{CataloguePage.objects.get().url}?{query}")
    assert response.status_code == 200
    assert documents["plan"].title in response.text


def test_a_restricted_column_is_not_listed(documents):
    column = document_column("政府办文件")
    PageViewRestriction.objects.create(page=column, restriction_type="login")
    assert set(titles(listing())) == {
        documents[k].title for k in ("plan", "opinion", "law", "guide")
    }


def test_the_catalogue_page(client, documents):
    page = CataloguePage.objects.get()
    html = client.get(page.url).text
    plan = documents["plan"]
    row = html[html.index(plan.title) - 400 : html.index(plan.title) + 300]
    for shown in (
        plan.index_number,
        plan.url,
        "临政发〔2026〕3号",
        f"{plan.first_published_at:%Y-}",
    ):
        assert shown in row, shown
    nav = html[html.index('class="sidebar catalogue-nav"') : html.index("</aside>")]
    for category in CatalogueCategory.labels:
        assert category in nav
    # The columns of each category whose content is not documents are linked (data).
    for linked in (
        "领导简介",
        "机构职能",
        "办公室简介",
        "业务工作流程",
        "业务工作标准",
        "沟通信箱",
    ):
        assert f">{linked}</a>" in nav, linked
    assert nav.index("机构设置") < nav.index("领导简介") < nav.index("业务工作程序")
    assert nav.index("投诉信箱") < nav.index("沟通信箱")
    for facet in ("主题分类", "体裁", "发布机构", "年份"):
        assert f">{facet}</h2>" in html


def test_the_current_filters_stay_visible_and_removable(client, documents):
    page = CataloguePage.objects.get()
    html = client.get(f"{page.url}?category=laws&genre={genre('意见').pk}").text
    chosen = html[html.index('class="chosen-filters"') :]
    assert "目录类别：法律法规和政策依据" in chosen and "体裁：意见" in chosen
    assert f'href="?genre={genre("意见").pk}"' in chosen  # removing the category keeps the genre
    assert 'href="?category=laws"' in chosen
    assert documents["opinion"].title in html and documents["plan"].title not in html


def test_an_empty_result_says_so(client, documents):
    page = CataloguePage.objects.get()
    html = client.get(f"{page.url}?category=complaints").text
    assert "没有符合当前条件的文件" in html


def test_the_filters_are_kept_on_every_page_of_the_list(client, documents):
    column = document_column("政府文件")
    for number in range(25):
        add_document(column, title=f"批量通知第{number}号", **full_metadata(document_number=""))
    page = CataloguePage.objects.get()
    html = client.get(f"{page.url}?category=laws").text
    assert 'href="?category=laws&amp;page=2"' in html
    second = client.get(f"{page.url}?category=laws&page=2").text
    assert "第 2 页" in second


# The policy library ---------------------------------------------------------------------------


def library(query=""):
    return listing(
        query, scope=PolicyLibraryPage.objects.get(), facets=LIBRARY_FACETS, searchable=True
    )


def test_the_library_lists_only_its_own_documents_and_filters_by_sub_column(documents):
    found = library()
    assert documents["guide"].title not in titles(found)  # in 政务公开目录, not 政策文件
    assert len(titles(found)) == 5
    columns = found.facets()[0]
    assert [o.label for o in columns.options] == ["政策法规", "政府文件", "政府办文件"]
    assert [o.count for o in columns.options] == [1, 2, 2]


def test_a_document_number_typed_in_finds_its_document_first(client, documents):
    library_page = PolicyLibraryPage.objects.get()
    for typed in ("临政办发〔2026〕5号", "临政办发[2026]5号", documents["office"].index_number):
        found = library(f"q={typed}")
        assert titles(found)[0] == documents["office"].title, typed
    html = client.get(library_page.url, {"q": "临政发〔2026〕9号"}).text
    rows = html[html.index('class="document-list"') :]
    first = rows[rows.index("<tbody>") : rows.index("</tr>", rows.index("<tbody>"))]
    assert documents["opinion"].title in first


def test_the_library_search_uses_the_chinese_search_within_the_library(documents):
    assert titles(library("q=营商环境")) == [documents["opinion"].title]
    # 公开指南 matches the word but lives outside the library.
    assert documents["guide"].title not in titles(library("q=指南"))
    # The search and a filter together.
    assert titles(library("q=通知&validity=repealed")) == [documents["repealed"].title]
    assert titles(library("q=不存在的词语组合")) == []


def test_the_library_page(client, documents):
    page = PolicyLibraryPage.objects.get()
    html = client.get(page.url).text
    assert 'role="search"' in html and 'name="q"' in html
    for facet in ("栏目", "发布机构", "年份", "有效性"):
        assert f">{facet}</h2>" in html
    assert "废止" in html
    empty = client.get(page.url, {"q": "不存在的词语组合"}).text
    assert "没有找到符合条件的政策文件" in empty
    # A filter in force is kept when searching (a hidden field of the search form).
    kept = client.get(page.url, {"validity": "valid"}).text
    assert '<input type="hidden" name="validity" value="valid">' in kept
