"""设置 → 备份 (等保 2.0 "数据备份恢复" from the admin): 系统管理员 starts a backup, which runs as
a background job writing the archive where ``manage.py backup`` writes it; the page lists the
recent backups and says that restoring is for the command line; nobody else may."""

import stat

import pytest
from django.urls import reverse

from govsite.backup import archive, tasks
from govsite.jobs.models import Job
from govsite.sections import roles

INDEX = "govsite_backup:index"


@pytest.fixture
def backups(settings, tmp_path):
    """Archives go to a folder of the test's own; the storages backed up are small folders of
    its own too."""
    settings.GOVSITE_BACKUP_ROOT = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    (tmp_path / "media" / "documents").mkdir(parents=True)
    (tmp_path / "media" / "documents" / "通知.txt").write_text("附件")
    return settings.GOVSITE_BACKUP_ROOT


# The backup reads the database through a connection of its own, which sees committed rows only:
# the test commits what it writes (and the suite puts the session's database back after it).
@pytest.mark.django_db(transaction=True)
def test_the_system_administrator_backs_up_from_the_admin(client, make_user, backups, tmp_path):
    client.force_login(make_user("sysadmin", roles.SYSTEM_ADMINS))
    page = client.get(reverse(INDEX)).content.decode()
    assert ">立即备份</button>" in page and "备份目录中还没有备份文件" in page
    assert "恢复只能由运维人员在服务器上用命令行进行" in page and "manage.py restore" in page

    # Without a surrounding transaction the job is enqueued, and run by the test settings'
    # immediate backend, as soon as the request has recorded it.
    response = client.post(reverse(INDEX), follow=True)
    html = response.content.decode()
    assert "已开始备份（后台任务），完成后本页列出新的备份文件" in html
    (job,) = Job.objects.all()
    assert job.status == Job.Status.DONE, job.error
    assert job.label == "备份数据库和上传文件" and job.done == job.total == 3
    (archive_path,) = backups.iterdir()
    assert archive_path.name.startswith("govsite-") and archive_path.name.endswith(".tar.gz")
    assert job.message.startswith(f"已写入备份：{archive_path}（")
    assert stat.S_IMODE(archive_path.stat().st_mode) == 0o600
    manifest = archive.verify(archive_path, extract_dir=tmp_path)
    assert "files/default/documents/通知.txt" in manifest["members"]
    assert archive_path.name in html and "备份目录中还没有备份文件" not in html
    assert ">立即备份</button>" in html


def test_the_page_lists_the_recent_backups_and_shows_the_one_under_way(
    client, make_user, backups, django_capture_on_commit_callbacks
):
    backups.mkdir()
    (backups / "govsite-www.example.gov.cn-20261201T020000Z.tar.gz").write_bytes(b"x" * 2048)
    (backups / "govsite-www.example.gov.cn-20261202T020000Z.tar.gz").write_bytes(b"x" * 10)
    (backups / ".govsite-www.example.gov.cn-20261203T020000Z.tar.gz.ab12.partial").write_bytes(b"")
    (backups / "说明.txt").write_text("not an archive")
    client.force_login(make_user("sysadmin", roles.SYSTEM_ADMINS))
    html = client.get(reverse(INDEX)).content.decode()
    assert "20261201T020000Z" in html and "2.0 KB" in html and "20261202T020000Z" in html
    assert "20261203T020000Z" not in html and "说明.txt" not in html

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse(INDEX), follow=True)
    html = response.content.decode()
    assert "正在备份" in html and "等待运行" in html and ">立即备份</button>" not in html
    with django_capture_on_commit_callbacks(execute=False) as more:
        response = client.post(reverse(INDEX), follow=True)  # a second click while it waits
    assert Job.objects.count() == 1 and len(callbacks) == 1 and not more
    assert "正在备份（后台任务）" in response.content.decode()
    assert tasks.running_job() == Job.objects.get()


@pytest.mark.parametrize(
    "who", [roles.SITE_MANAGERS, roles.SECURITY_ADMINS, roles.AUDIT_ADMINS, "秘书科-科长"]
)
def test_only_the_system_administrators_back_up(client, make_user, backups, who):
    client.force_login(make_user("someone", who))
    assert client.get(reverse(INDEX)).status_code == 403
    response = client.post(reverse(INDEX))
    assert response.status_code == 403 and "只有系统管理员可以备份" in response.content.decode()
    assert not Job.objects.exists() and not backups.exists()
    assert reverse(INDEX) not in client.get(reverse("wagtailadmin_home")).content.decode()
