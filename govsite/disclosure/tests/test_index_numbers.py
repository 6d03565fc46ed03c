"""R-OPEN-1 索引号: allocated at first publication from the configured rule, per year, atomically;
never reused and never changed."""

import re
import threading
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from govsite.disclosure.models import DisclosureSettings, DocumentPage, IndexSequence
from govsite.disclosure.rules import (
    check_credit_code,
    check_index_pattern,
    credit_code_check_char,
)

from .factories import add_document

pytestmark = pytest.mark.django_db


def sequence_of(number):
    return int(re.search(r"(\d+)$", number).group(1))


def test_the_first_publication_allocates_the_number_in_the_default_form(site_tree):
    draft = add_document(publish=False)
    assert draft.index_number is None  # a draft has none
    draft.get_latest_revision().publish()
    draft.refresh_from_db()
    code = DisclosureSettings.load().credit_code
    year = timezone.localtime(draft.first_published_at).year
    assert re.fullmatch(rf"{code}/{year}-\d{{5}}", draft.index_number)


def test_numbers_are_consecutive_and_never_reused(site_tree):
    first = add_document(title="第一份文件")
    second = add_document(title="第二份文件")
    assert sequence_of(second.index_number) == sequence_of(first.index_number) + 1
    second.delete()
    third = add_document(title="第三份文件")
    assert sequence_of(third.index_number) == sequence_of(first.index_number) + 2


def test_a_republished_or_edited_document_keeps_its_number(site_tree):
    page = add_document()
    number = page.index_number
    page.title = "修改后的标题"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.index_number == number
    page.unpublish()
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live and page.index_number == number
    # Not even a direct save may change it.
    page.index_number = "其他编号"
    page.save()
    page.refresh_from_db()
    assert page.index_number == number


def test_an_old_revision_published_again_keeps_the_number(site_tree):
    page = add_document(publish=False)
    old = page.get_latest_revision()  # saved before the number existed
    old.publish()
    page.refresh_from_db()
    number = page.index_number
    old.publish()
    page.refresh_from_db()
    assert page.index_number == number


def test_each_year_counts_from_one(site_tree):
    moment = timezone.make_aware(datetime(2024, 6, 1, 9, 0))
    page = add_document(title="往年文件", first_published_at=moment)
    assert page.index_number.endswith("/2024-00001")
    assert IndexSequence.objects.get(scope__endswith="/2024").last == 1


def test_a_changed_rule_applies_to_later_documents_only(site_tree):
    before = add_document(title="规则修改前")
    settings = DisclosureSettings.load()
    settings.index_pattern = "{code}-{year}{month}-{seq:04d}"
    settings.save()
    after = add_document(title="规则修改后")
    before.refresh_from_db()
    assert "/" in before.index_number
    month = timezone.localtime(after.first_published_at).strftime("%Y%m")
    assert re.fullmatch(rf"{settings.credit_code}-{month}-0001", after.index_number)


def test_a_copy_gets_no_number_until_published(site_tree):
    page = add_document()
    copy = page.copy(update_attrs={"slug": "copy", "title": "副本"}, keep_live=False)
    assert DocumentPage.objects.get(pk=copy.pk).index_number is None


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{code}/{year}", "必须含序号"),
        ("{code}/{yyyy}-{seq}", "不能使用"),
        ("{code}/{year-{seq}", "花括号"),
        ("{code}/{seq:q}", "格式写法不对"),
    ],
)
def test_a_rule_with_unknown_placeholders_is_refused(pattern, message):
    with pytest.raises(ValidationError, match=message):
        check_index_pattern(pattern)


def test_the_settings_refuse_a_wrong_credit_code(site_tree):
    settings = DisclosureSettings.load()
    first17 = "91330100MA2B3C4D5"
    wrong = next(c for c in "0123456789" if c != credit_code_check_char(first17))
    settings.credit_code = first17 + wrong
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert "统一社会信用代码" in str(error.value)
    with pytest.raises(ValidationError, match="18 位"):
        check_credit_code("1234")
    assert check_credit_code(DisclosureSettings().credit_code)


CONCURRENT = 6


@pytest.mark.django_db(transaction=True)
def test_documents_published_at_once_get_distinct_consecutive_numbers(file_database, site_tree):
    """Threads with their own connections publish different drafts at the same moment: the
    numbers are distinct and consecutive (PostgreSQL: the sequence row's lock; SQLite: the
    immediate transactions queue the writers)."""
    drafts = [add_document(title=f"同时发布的文件{n}", publish=False) for n in range(CONCURRENT)]
    start = threading.Barrier(CONCURRENT)
    errors = []

    def publish(page):
        try:
            start.wait()
            DocumentPage.objects.get(pk=page.pk).get_latest_revision().publish()
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(page,)) for page in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = list(
        DocumentPage.objects.filter(pk__in=[page.pk for page in drafts]).values_list(
            "index_number", flat=True
        )
    )
    sequences = sorted(sequence_of(number) for number in numbers)
    assert len(set(numbers)) == CONCURRENT
    assert sequences == list(range(sequences[0], sequences[0] + CONCURRENT))
