"""已发布信息复查 beside other writers (R-SCREEN-3): on SQLite, as in production (WAL, a file),
another connection's write between two saves of the run's progress — the worker's heartbeat
every five seconds — never makes the re-screening fail."""

import threading

import pytest
from django.db import connection

from govsite.demo.generator import generate_articles
from govsite.jobs.models import WorkerHeartbeat
from govsite.screening.models import RescreenRun
from govsite.screening.rescreen import CHUNK, rescreen_published


def write_from_another_connection(number):
    def beat():
        WorkerHeartbeat.objects.update_or_create(
            worker_id=f"test:{number}", defaults={"host": "test", "pid": number}
        )
        connection.close()

    thread = threading.Thread(target=beat)
    thread.start()
    thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_write_between_chunks_does_not_stop_the_run(file_database, site_tree):
    generate_articles(CHUNK * 3 + 20, index=False)
    beats = []

    def progress(run):
        beats.append(run.pages_checked)
        write_from_another_connection(len(beats))

    run = rescreen_published(notify=False, progress=progress)
    assert beats == [CHUNK, CHUNK * 2, CHUNK * 3]
    assert RescreenRun.objects.get().pages_checked == run.pages_checked >= CHUNK * 3 + 20
    assert WorkerHeartbeat.objects.count() == 3
