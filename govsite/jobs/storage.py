"""Where a job's result file (a large export, a backup's report) is kept: the private storage,
never under the public media URL; it is served only through ``views.download``."""

from django.core.files.base import ContentFile, File
from django.core.files.storage import storages

FOLDER = "jobs"


def save_result(job, filename, content):
    """Keep ``content`` (bytes, or an open binary file: a large export written to a temporary
    file) as ``job``'s result, offered for download as ``filename``."""
    private = storages["private"]
    content = ContentFile(content) if isinstance(content, bytes) else File(content)
    name = private.save(f"{FOLDER}/{job.pk}/{filename}", content)
    job.result_file, job.result_name = name, filename
    job.save(update_fields=["result_file", "result_name"])


def open_result(job):
    return storages["private"].open(job.result_file, "rb")
