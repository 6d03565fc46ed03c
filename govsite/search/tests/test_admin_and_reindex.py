"""SPEC §11: the admin's own page search works in Chinese; 综合科 extends the dictionary; a
dictionary change marks the index stale until it is rebuilt."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

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
    reindex()  # what run_scheduler runs when due (reindex_search_if_due)
    assert not DictionaryVersion.state().index_stale
    tokens, results = search("接诉即办")
    assert [hit.page.pk for hit in results[0:10]] == [article.pk]


def test_a_page_published_after_the_change_is_found_at_once(site_tree):
    SearchWord.objects.create(word="帮办代办")
    add_article(sub_column("工作动态"), title="企业开办帮办代办服务上线")
    assert search("帮办代办")[1].count() == 1
