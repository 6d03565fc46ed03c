"""Bad input on the application form is refused in Chinese, naming the rule and the fix, and
nothing typed is lost (R-TOPIC-1; the image rule of 第十七条)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govsite.columns.models import SubColumnPage
from govsite.images.models import GovImage
from govsite.images.tests.factories import png_bytes
from govsite.sections.models import Section

from .. import actions
from ..models import TopicApplication, TopicPage, topic_column
from .factories import application_values, days, file_application, form_data


def post(client, user, **values):
    client.force_login(user)
    data = form_data(application_values(**values))
    data["section"] = Section.objects.get(name="秘书科").pk
    return client.post(reverse("govsite_topics:apply"), data)


def refused_with(response, *sentences):
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    for sentence in sentences:
        assert sentence in html, sentence
    # What was typed is still there.
    assert "优化营商环境专栏" in html and "集中发布优化营商环境的政策" in html
    assert "工作动态" in html and "典型案例" in html
    assert not TopicApplication.objects.exists()
    return html


@pytest.mark.django_db
def test_no_period(client, people):
    response = post(client, people["officer"], starts_on=None, ends_on=None)
    refused_with(response, "请填写专栏的开始日期和结束日期", "第十一条")


@pytest.mark.django_db
def test_period_end_in_the_past(client, people):
    response = post(client, people["officer"], starts_on=days(-60), ends_on=days(-1))
    refused_with(response, f"结束日期 {days(-1):%Y-%m-%d} 已经过去", "请填写今天")


@pytest.mark.django_db
def test_end_before_start(client, people):
    response = post(client, people["officer"], starts_on=days(30), ends_on=days(10))
    refused_with(response, "早于开始日期", "请检查起止日期")


@pytest.mark.django_db
def test_banner_breaking_the_image_rule(client, people):
    # Stored before the rule was enforced, or by a bulk import: a wide PNG banner.
    wide = GovImage.objects.create(
        title="旧横幅", caption="横幅", file=SimpleUploadedFile("banner.png", png_bytes(1200, 200))
    )
    response = post(client, people["officer"], banner=wide)
    html = refused_with(response, "横幅图片“旧横幅”不符合第十七条图片规定", "图片须为 JPG 格式")
    assert "宽高比须为 4:3" in html and "重新上传该图片" in html
    # The choice itself stays in the form, to be replaced.
    assert f'value="{wide.pk}"' in html


@pytest.mark.django_db
def test_no_banner(client, people):
    client.force_login(people["officer"])
    data = form_data(application_values())
    data.update(banner="", section=Section.objects.get(name="秘书科").pk)
    response = client.post(reverse("govsite_topics:apply"), data)
    refused_with(response, "请选择横幅图片")


@pytest.mark.django_db
def test_slug_colliding_with_a_page_under_the_heading(client, people):
    topic_column().add_child(
        instance=TopicPage(
            title="旧专栏",
            slug="yshj",
            owner_section=Section.objects.get(name="秘书科"),
            starts_on=days(-400),
            ends_on=days(-100),
        )
    )
    response = post(client, people["officer"])
    refused_with(response, "热点专题下已有网址为“yshj”的页面，请换一个网址名称")


@pytest.mark.django_db
def test_slug_colliding_with_a_pending_application(client, people):
    file_application(people["other_officer"], section_name="文书科", title="文书工作专栏")
    client.force_login(people["officer"])
    data = form_data(application_values())
    data["section"] = Section.objects.get(name="秘书科").pk
    html = client.post(reverse("govsite_topics:apply"), data).content.decode()
    assert "已被文书科正在审核的专栏申请《文书工作专栏》使用" in html
    assert TopicApplication.objects.count() == 1


@pytest.mark.django_db
def test_slug_with_chinese_or_capitals(client, people):
    response = post(client, people["officer"], slug="营商环境")
    refused_with(response, "网址名称只能用小写字母、数字和连字符")


@pytest.mark.django_db
def test_slug_taken_before_the_final_approval_is_refused(people):
    application = file_application(people["officer"])
    actions.approve(application, people["chief"])
    actions.approve(application, people["office_chief"])
    # Meanwhile 综合科-网站管理 made a page with that address under 热点专题.
    topic_column().add_child(
        instance=SubColumnPage(
            title="同名页面", slug="yshj", owner_section=Section.objects.get(name="综合科")
        )
    )
    with pytest.raises(actions.Refused, match="请退回申请人修改网址名称"):
        actions.approve(application, people["director"])
    application.refresh_from_db()
    assert application.topic is None and application.is_pending


@pytest.mark.django_db
def test_return_without_a_reason(client, people):
    application = file_application(people["officer"])
    client.force_login(people["chief"])
    url = reverse("govsite_topics:detail", args=[application.pk])
    html = client.post(url, {"decision": "return", "comment": ""}).content.decode()
    assert "退回必须填写意见，说明原因和修改要求" in html
    application.refresh_from_db()
    assert application.is_pending
