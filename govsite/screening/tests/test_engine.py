"""R-SCREEN-2 and the single screening entry point: findings carry field and position."""

import pytest

from govsite.columns.models import ArticlePage, Classification
from govsite.testing.helpers import add_article, sub_column

from ..engine import blocking, page_texts, screen_page
from ..models import ClassificationMark

# Unsaved pages, but reading their (empty) attachments may touch the database.
pytestmark = pytest.mark.django_db


def article(**fields):
    return ArticlePage(title=fields.pop("title", "关于开展政务公开工作的通知"), **fields)


def test_a_clean_public_article_has_no_findings():
    assert screen_page(article(body=[("paragraph", "<p>各科室：现将有关事项通知如下。</p>")])) == []


@pytest.mark.parametrize("mark", ["秘密★", "机密", "绝密", "内部资料"])
def test_every_mark_is_found_with_its_position(mark):
    text = f"一、{mark}二年"
    findings = screen_page(article(body=[("paragraph", f"<p>{text}</p>")]))
    assert [(f.field, f.matched, f.offset) for f in findings] == [("正文", mark, 2)]
    assert findings[0].blocking
    assert mark in findings[0].snippet


def test_the_longest_mark_is_reported_once():
    findings = screen_page(article(title="机密★文件"))
    assert [(f.matched, f.offset) for f in findings] == [("机密★", 0)]


@pytest.mark.parametrize("level", [c for c in Classification if c != Classification.PUBLIC])
def test_anything_not_public_is_blocked(level):
    (finding,) = screen_page(article(classification=level))
    assert finding.field == "密级" and level.label in finding.rule


def test_captions_tables_subtitles_are_screened():
    page = article(
        subtitle="内部★",
        body=[
            ("table", {"data": [["项目", "绝密"]], "first_row_is_table_header": False}),
        ],
    )
    fields = {(f.field, f.matched) for f in screen_page(page)}
    assert fields == {("副标题", "内部★"), ("表格", "绝密")}


def test_attachment_names_are_screened(site_tree):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from govsite.columns.models import ArticleAttachment

    page = add_article(sub_column("工作动态"))
    document = get_document_model().objects.create(
        title="附件", file=ContentFile(b"text", name="a.txt")
    )
    ArticleAttachment.objects.create(page=page, document=document, title="内部资料汇编")
    assert ("附件名称", "内部资料汇编") in list(page_texts(page))
    assert blocking(screen_page(page))


def test_describe_names_field_position_and_rule():
    (finding,) = screen_page(article(title="关于内部资料的通知"))
    assert finding.describe().startswith("【涉密标识】标题第3个字处「内部资料」")
    assert "上网不涉密，涉密不上网" in finding.describe()


def test_marks_are_data_maintained_in_the_admin():
    assert ClassificationMark.objects.filter(text="内部资料", enabled=True).exists()
    ClassificationMark.objects.filter(text="内部资料").update(enabled=False)
    ClassificationMark.objects.get(text="绝密").save()  # any change through the model
    assert screen_page(article(title="关于内部资料的通知")) == []


# The lexicon maintained in the admin (R-SCREEN-1, R-SCREEN-3) -------------------------------


def term(text, number=7, **fields):
    from ..models import ProhibitedCategory, ProhibitedTerm

    category = ProhibitedCategory.objects.get(number=number)
    return ProhibitedTerm.objects.create(text=text, category=category, **fields)


def serious_error(wrong, right, **fields):
    from ..models import SeriousError

    return SeriousError.objects.create(wrong=wrong, right=right, **fields)


def test_the_nine_categories_of_article_19_are_records_with_its_wording():
    from ..models import ProhibitedCategory

    categories = list(ProhibitedCategory.objects.values_list("number", "wording"))
    assert [number for number, _ in categories] == list(range(1, 10))
    assert categories[6][1] == "散布淫秽、色情、赌博、暴力、凶杀、恐怖或者教唆犯罪的"


def test_a_prohibited_term_blocks_with_its_category_and_position():
    term("网上赌场")
    (finding,) = screen_page(article(body=[("paragraph", "<p>严禁登录网上赌场。</p>")]))
    assert (finding.field, finding.matched, finding.offset) == ("正文", "网上赌场", 4)
    assert finding.category == "禁止内容（第十九条第7项）"
    assert "赌博" in finding.rule and finding.blocking
    assert finding.snippet_parts == ("严禁登录", "网上赌场", "。")


def test_a_new_term_takes_effect_at_the_next_screening_without_a_restart():
    page = article(title="关于博彩开户的情况说明")
    assert screen_page(page) == []
    term("博彩开户")
    assert [f.matched for f in screen_page(page)] == ["博彩开户"]


def test_a_disabled_term_is_not_looked_for():
    entry = term("博彩开户")
    entry.enabled = False
    entry.save()
    assert screen_page(article(title="博彩开户")) == []


def test_another_process_changing_the_lexicon_is_noticed():
    """A change written by another process only moves the shared stamp; this process must
    rebuild its automaton before the next screening."""
    from ..engine import current_lexicon
    from ..models import LexiconVersion, ProhibitedCategory, ProhibitedTerm

    before = current_lexicon()
    ProhibitedTerm.objects.bulk_create(  # no save(): as if written elsewhere
        [ProhibitedTerm(text="出售枪支", category=ProhibitedCategory.objects.get(number=9))]
    )
    assert current_lexicon() is before  # nothing told this process yet
    LexiconVersion.bump()
    assert current_lexicon() is not before
    assert [f.matched for f in screen_page(article(title="出售枪支"))] == ["出售枪支"]


def test_latin_terms_match_whatever_the_case():
    term("VPN翻墙", number=9)
    (finding,) = screen_page(article(title="关于vpn翻墙软件的说明"))
    assert (finding.matched, finding.offset) == ("vpn翻墙", 2)


def test_a_serious_error_blocks_and_names_the_right_form():
    serious_error("临江区政府办公厅", "临江区人民政府办公室", kind="organisation")
    (finding,) = screen_page(article(title="临江区政府办公厅召开会议"))
    assert finding.category == "严重错别字" and finding.blocking
    assert finding.suggestion == "临江区人民政府办公室"
    assert "应为「临江区人民政府办公室」" in finding.describe()


def test_the_right_form_is_not_reported_when_it_contains_the_wrong_one():
    serious_error("王立", "王立新", kind="leader")
    assert screen_page(article(title="王立新主任调研")) == []
    (finding,) = screen_page(article(title="王立新、王立主任调研"))
    assert (finding.matched, finding.offset) == ("王立", 4)


def test_serious_error_needs_two_different_forms():
    from django.core.exceptions import ValidationError

    from ..models import SeriousError

    with pytest.raises(ValidationError, match="正确写法不能与错误写法相同"):
        SeriousError(wrong="再接再厉", right="再接再厉").full_clean()


# Quality warnings (R-SCREEN-4): shown, never blocking ----------------------------------------


def warnings(page):
    return [(f.field, f.rule) for f in screen_page(page) if not f.blocking]


def test_an_over_long_title_is_a_warning():
    from ..models import ScreeningSettings

    settings = ScreeningSettings.load()
    settings.title_max_length = 10
    settings.save()
    ((field, rule),) = warnings(article(title="关于开展二〇二六年度政务公开工作的通知"))
    assert field == "标题" and "超过10个字" in rule
    assert not blocking(screen_page(article(title="关于开展二〇二六年度政务公开工作的通知")))


def test_links_that_do_not_resolve_are_warnings(site_tree):
    live = add_article(sub_column("工作动态"))
    body = (
        f'<p><a linktype="page" id="{live.pk}">有效</a>'
        '<a linktype="page" id="999999">失效</a>'
        '<a linktype="document" id="999999">文件</a>'
        '<a href="http://">坏地址</a><a href="https://www.gov.cn/">国务院</a></p>'
    )
    found = warnings(article(body=[("paragraph", body)]))
    assert [field for field, _ in found] == ["正文链接"] * 3
    assert "999999" in found[0][1] and "坏地址" not in found[2][1] and "http://" in found[2][1]


def test_an_unreadable_attachment_is_a_warning(site_tree):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from govsite.columns.models import ArticleAttachment

    page = add_article(sub_column("工作动态"))
    broken = get_document_model().objects.create(
        title="坏文件", file=ContentFile(b"%PDF-1.4 broken", name="broken.pdf")
    )
    ArticleAttachment.objects.create(page=page, document=broken)
    ((field, rule),) = warnings(page)
    assert field == "附件《坏文件》" and "无法读取" in rule


def test_the_text_of_attachments_is_screened(site_tree):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from govsite.columns.models import ArticleAttachment

    page = add_article(sub_column("工作动态"))
    document = get_document_model().objects.create(
        title="说明",
        file=ContentFile("第一段。\n本材料为内部资料。".encode("gb18030"), name="a.txt"),
    )
    ArticleAttachment.objects.create(page=page, document=document)
    (finding,) = blocking(screen_page(page))
    assert (finding.field, finding.matched) == ("附件《说明》", "内部资料")
