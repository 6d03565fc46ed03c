"""SPEC §11: the admin's own page search works in Chinese; 综合科 extends the dictionary; a
dictionary change marks the index stale until it is rebuilt."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from govsite.jobs.models import Job
from govsite.search.models import DictionaryVersion, SearchWord
from govsite.search.query import search
from govsite.search.reindex import reindex, reindex_due
from govsite.sections import roles
from govsite.testing.helpers import add_article, assert_refused, login, sub_column

from .conftest import paragraph


@pytest.mark.parametrize("query", ["满意度", "办公室 满意度", "营商环境"])
def test_admin_page_search_finds_chinese(client, corpus, role_users, query):
    login(client, role_users[roles.SITE_MANAGERS])
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": query})
    assert response.status_code == 200
    expected = {
        "满意度": "区政府办公室关于开展政务服务满意度调查的通知",
        "办公室 满意度": "区政府办公室关于开展政务服务满意度调查的通知",
        "营商环境": "关于进一步优化营商环境的若干措施",
    }[query]
    assert expected in response.text
    assert "数字政府建设三年行动计划" not in response.text


def test_admin_search_finds_drafts_the_public_search_does_not(client, role_users, site_tree):
    add_article(sub_column("工作动态"), title="关于草拟接待方案的通知", slug="plan", publish=False)
    login(client, role_users[roles.SITE_MANAGERS])
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "接待方案"})
    assert "关于草拟接待方案的通知" in response.text
    assert search("接待方案")[1].count() == 0


def test_site_manager_maintains_the_dictionary(client, role_users):
    login(client, role_users[roles.SITE_MANAGERS])
    listing = client.get(reverse("wagtailsnippets_search_searchword:list"))
    assert listing.status_code == 200
    assert "区政府办公室" in listing.text
    response = client.post(
        reverse("wagtailsnippets_search_searchword:add"),
        {"word": "接诉即办", "note": "12345 热线改革", "enabled": "on"},
    )
    assert response.status_code == 302
    assert SearchWord.objects.filter(word="接诉即办", enabled=True).exists()
    assert DictionaryVersion.state().index_stale
    assert "搜索索引尚未重建" in client.get(reverse("wagtailsnippets_search_searchword:list")).text


def test_officers_cannot_change_the_dictionary(client, role_users):
    login(client, role_users["秘书科-信息员"])
    response = client.get(reverse("wagtailsnippets_search_searchword:add"))
    assert_refused(response)
    assert not SearchWord.objects.filter(word="接诉即办").exists()


def test_a_new_word_reaches_old_pages_after_reindexing(site_tree):
    article = add_article(
        sub_column("工作动态"),
        title="我区推行接诉即办工作机制",
        body=paragraph("群众诉求接诉即办，件件有回音。"),
    )
    call_command("update_index", stdout=None)
    assert not DictionaryVersion.state().index_stale
    assert search("接诉即办")[1].count() == 1

    SearchWord.objects.create(word="接诉即办")
    # The query is now one word, which the page's old index entry does not hold.
    assert search("接诉即办")[0] == ["接诉即办"]
    assert search("接诉即办")[1].count() == 0
    assert DictionaryVersion.state().index_stale
    assert not reindex_due()  # the dictionary may still be being edited

    DictionaryVersion.objects.update(changed_at=timezone.now() - timedelta(hours=1))
    assert reindex_due()
    reindex()  # what the reindex job runs when due (tasks.reindex_when_due)
    assert not DictionaryVersion.state().index_stale
    tokens, results = search("接诉即办")
    assert [hit.page.pk for hit in results[0:10]] == [article.pk]


def test_a_page_published_after_the_change_is_found_at_once(site_tree):
    SearchWord.objects.create(word="帮办代办")
    add_article(sub_column("工作动态"), title="企业开办帮办代办服务上线")
    assert search("帮办代办")[1].count() == 1


def test_the_site_manager_rebuilds_the_index_in_the_background(
    client, role_users, django_capture_on_commit_callbacks
):
    """立即重建索引 on the dictionary's page: a background job, shown while it runs, never two
    at once; once done the page says when the index was rebuilt and old pages find new words."""
    article = add_article(sub_column("工作动态"), title="我区推行接诉即办工作机制")
    SearchWord.objects.create(word="接诉即办")
    assert search("接诉即办")[1].count() == 0
    login(client, role_users[roles.SITE_MANAGERS])
    listing = reverse("wagtailsnippets_search_searchword:list")
    start = reverse("wagtailsnippets_search_searchword:reindex")
    assert ">立即重建索引</button>" in client.get(listing).text

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(start, follow=True)
    assert "已开始重建搜索索引（后台任务）" in response.text
    assert "正在重建搜索索引" in response.text and "等待运行" in response.text
    assert ">立即重建索引</button>" not in response.text
    (job,) = Job.objects.all()
    assert job.label == "重建站内搜索索引" and job.requested_by == role_users[roles.SITE_MANAGERS]
    with django_capture_on_commit_callbacks(execute=False) as more:
        response = client.post(start, follow=True)  # a second click while it waits
    assert Job.objects.count() == 1 and not more and "搜索索引正在重建" in response.text

    for callback in callbacks:  # the worker picks the job up
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.total > 0 and job.done == job.total and "搜索索引已按当前搜索词典重建" in job.message
    html = client.get(listing).text
    assert "正在重建搜索索引" not in html and "按当前词典重建" in html
    assert not DictionaryVersion.state().index_stale
    assert [hit.page.pk for hit in search("接诉即办")[1][0:10]] == [article.pk]


def test_only_who_may_change_the_dictionary_rebuilds_the_index(
    client, role_users, django_capture_on_commit_callbacks
):
    for who in ("秘书科-信息员", roles.SYSTEM_ADMINS, roles.AUDIT_ADMINS):
        login(client, role_users[who])
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(reverse("wagtailsnippets_search_searchword:reindex"))
        assert response.status_code == 403, who
        assert "只有可以修改搜索词典的人员（综合科）可以重建搜索索引" in response.text
    assert not Job.objects.exists()
