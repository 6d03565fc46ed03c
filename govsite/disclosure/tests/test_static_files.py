"""静态发布 of the catalogue and the library (govsite/publishing): their stored files list
documents from other columns, so a document published, changed or withdrawn anywhere purges
them (``DocumentPage.shown_on``); a 解读 purges its policy's page and the policy its 解读's; a
renamed 主题分类 or 体裁 purges every file. A filtered address is never stored."""

import pytest

from govsite.disclosure.models import Genre
from govsite.disclosure.pages import CataloguePage, PolicyLibraryPage
from govsite.publishing.tests.factories import stored, visit

from .factories import add_document, document_column, full_metadata, genre

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def published_root(settings, tmp_path):
    settings.GOVSITE_PUBLISHED_ROOT = tmp_path / "published"
    return settings.GOVSITE_PUBLISHED_ROOT


@pytest.fixture
def pages(client, site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        policy = add_document(title="关于印发数字政府建设实施方案的通知", **full_metadata())
        reading = add_document(
            document_column("政策解读"),
            title="《数字政府建设实施方案》政策解读",
            interprets=policy,
            **full_metadata(document_number="", genre=genre("解读")),
        )
    catalogue = CataloguePage.objects.get().url
    library = PolicyLibraryPage.objects.get().url
    visit(client, catalogue, library, policy.url, reading.url)
    for url in (catalogue, library, policy.url, reading.url):
        assert stored(url) is not None, url
    return {"catalogue": catalogue, "library": library, "policy": policy, "reading": reading}


def test_a_document_published_in_another_column_purges_the_catalogue(
    client, pages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = add_document(document_column("人事任免"), title="关于方继明等同志职务任免的通知")
    assert stored(pages["catalogue"]) is None
    assert new.title in client.get(pages["catalogue"]).text
    # 人事任免 is not in the library, nor related to the policy: they stay.
    assert stored(pages["library"]) is not None and stored(pages["policy"].url) is not None


def test_withdrawing_a_policy_purges_the_catalogue_the_library_and_its_interpretation(
    client, pages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pages["policy"].unpublish()
    for url in (pages["catalogue"], pages["library"], pages["reading"].url):
        assert stored(url) is None, url
    assert pages["policy"].title not in client.get(pages["catalogue"]).text
    assert pages["policy"].url not in client.get(pages["reading"].url).text


def test_publishing_an_interpretation_purges_its_policy(
    client, pages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        second = add_document(
            document_column("政策解读"),
            title="图解：数字政府建设实施方案",
            interprets=pages["policy"],
            **full_metadata(document_number="", genre=genre("图解")),
        )
    assert stored(pages["policy"].url) is None
    assert second.url in client.get(pages["policy"].url).text


def test_a_renamed_genre_purges_every_file(client, pages, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Genre.objects.filter(name="通知").get().save()  # a save that changes nothing still purges
    for url in (pages["catalogue"], pages["library"], pages["policy"].url):
        assert stored(url) is None, url


def test_a_filtered_address_is_never_stored_but_further_pages_are(client, pages):
    visit(client, f"{pages['catalogue']}?category=laws", f"{pages['library']}?q=数字政府")
    assert stored(pages["catalogue"], 2) is None
    for number in range(25):
        add_document(title=f"批量通知第{number}号", **full_metadata(document_number=""))
    visit(client, f"{pages['catalogue']}?page=2")
    assert stored(pages["catalogue"], 2) is not None
