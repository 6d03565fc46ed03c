"""Where a job's result file (a large export, a backup's report) is kept: the private storage,
never under the public media URL; it is served only through ``views.download``."""

from django.core.files.base import ContentFile
from django.core.files.storage import storages

FOLDER = "jobs"


def save_result(job, filename, content):
    """Keep ``content`` (bytes) as ``job``'s result, offered for download as ``filename``."""
    private = storages["private"]
    name = private.save(f"{FOLDER}/{job.pk}/{filename}", ContentFile(content))
    job.result_file, job.result_name = name, filename
    job.save(update_fields=["result_file", "result_name"])


def open_result(job):
    return storages["private"].open(job.result_file, "rb")
