"""SPEC §11 "Chinese full-text search": one segmentation for the index and the query."""

import pytest

from govsite.search.models import DictionaryVersion, SearchWord
from govsite.search.segment import Segmenter, current_segmenter, query_tokens, stop_words

NOTICE = "区政府办公室关于开展政务服务满意度调查的通知"


def test_index_words_of_a_notice_include_its_parts():
    tokens = Segmenter(["区政府办公室", "政务服务"]).index_tokens(NOTICE)
    for word in ["区政府办公室", "区政府", "办公室", "政务服务", "满意度", "调查", "通知"]:
        assert word in tokens
    # Stop-words and punctuation never reach the index.
    assert "的" not in tokens and "关于" not in tokens


def test_query_words_are_words_of_the_index():
    segmenter = Segmenter(["区政府办公室", "放管服"])
    texts = [NOTICE, "关于深化放管服改革的工作要点", "2026年政府信息公开工作年度报告"]
    for text in [*texts, "GDP增长3.5%"]:
        assert set(segmenter.query_tokens(text)) <= set(segmenter.index_tokens(text))


def test_latin_is_lower_cased_and_punctuation_dropped():
    segmenter = Segmenter()
    assert segmenter.query_tokens("GDP，核算！") == ["gdp", "核算"]
    assert "gdp" in segmenter.index_tokens("关于开展GDP核算数据质量检查的通知")


def test_stop_words_are_dropped_from_queries():
    assert Segmenter().query_tokens("的 了 关于") == []
    assert {"的", "关于", "the"} <= stop_words()


def test_query_words_are_distinct():
    assert Segmenter().query_tokens("营商环境 营商环境") == ["营商", "环境"]


@pytest.mark.django_db
def test_starter_dictionary_is_installed():
    assert SearchWord.objects.filter(word="区政府办公室", enabled=True).exists()
    assert query_tokens("放管服") == ["放管服"]


@pytest.mark.django_db
def test_a_new_word_changes_segmentation_without_restart():
    assert query_tokens("数智治理") != ["数智治理"]
    first = current_segmenter()
    word = SearchWord.objects.create(word="数智治理", note="测试")
    assert query_tokens("数智治理") == ["数智治理"]
    assert current_segmenter() is not first
    word.enabled = False
    word.save()
    assert query_tokens("数智治理") != ["数智治理"]


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_seen():
    """Another process changes the dictionary behind this one's back: only the stamp tells."""
    current_segmenter()
    SearchWord.objects.bulk_create([SearchWord(word="接诉即办")])  # no save(): no bump here
    assert query_tokens("接诉即办") != ["接诉即办"]
    DictionaryVersion.bump()  # what the other process's save() did
    assert query_tokens("接诉即办") == ["接诉即办"]


@pytest.mark.django_db
def test_a_word_must_be_one_word():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SearchWord(word="政务 服务").full_clean()
    with pytest.raises(ValidationError):
        SearchWord(word="！！").full_clean()
