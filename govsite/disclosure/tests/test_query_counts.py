"""SPEC §12 for the 政务公开目录 and the policy library (issue 16 item 6): a list of 50 documents
costs the same queries as a list of 5, with every filter, with the search, on a later page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govsite.disclosure.pages import CataloguePage, PolicyLibraryPage

from .factories import add_document, document_column, full_metadata, genre, topic

pytestmark = pytest.mark.django_db

TOPICS = [
    ("综合政务", "政务公开"),
    ("综合政务", "应急管理"),
    ("市场监管、安全生产监管", "安全生产监管"),
]
GENRES = ["通知", "意见", "决定"]
COLUMNS = ["政府文件", "政府办文件", "政策法规"]


def documents(number):
    """``number`` documents spread over three columns, topics, genres and publishers; every
    third one interprets the one before it (so the library shows 解读 links)."""
    made = []
    for n in range(number):
        fields = full_metadata(
            document_number=f"临政发〔2026〕{n + 1}号",
            topic=topic(*TOPICS[n % 3]),
            genre=genre(GENRES[n % 3]),
            publisher=["临江区人民政府", "临江区人民政府办公室"][n % 2],
        )
        if n % 3 == 2:
            fields["interprets"] = made[-1]
            column = document_column("政策解读")
        else:
            column = document_column(COLUMNS[n % 3])
        made.append(add_document(column, title=f"关于第{n + 1}项工作的通知", **fields))
    return made


def queries(client, url):
    client.get(url)  # what a process reads once (content types, the structure) is not counted
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def urls():
    catalogue = CataloguePage.objects.get().url
    library = PolicyLibraryPage.objects.get().url
    return [
        catalogue,
        f"{catalogue}?category=laws&genre={genre('通知').pk}",
        f"{catalogue}?topic={topic('综合政务', '政务公开').parent_id}&year=2026",
        f"{catalogue}?publisher=临江区人民政府&page=2",
        library,
        f"{library}?validity=valid&column={document_column('政府文件').pk}",
        f"{library}?q=通知&publisher=临江区人民政府办公室",
        f"{library}?q=临政发〔2026〕2号",
    ]


def test_both_views_cost_the_same_for_5_and_50_documents(client, site_tree):
    documents(5)
    few = {url: queries(client, url) for url in urls()}
    documents(45)
    many = {url: queries(client, url) for url in urls()}
    assert many == few
    assert max(few.values()) <= 25
