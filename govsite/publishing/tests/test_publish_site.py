"""静态发布 of the whole site: ``manage.py publish_site`` for a deploy (``--purge`` empties), and
the same run as a background job that 综合科-网站管理 start from the admin (设置 → 静态发布)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from govsite.jobs.models import Job
from govsite.mailbox.pages import MailboxPage
from govsite.publishing import rules, store, tasks, whole_site
from govsite.sections import roles
from govsite.surveys.models import SurveyColumnPage
from govsite.testing.helpers import add_article, sub_column

from .factories import fill, stored


@pytest.mark.django_db
def test_publish_site_stores_every_published_page_and_nothing_else(site_tree):
    news = sub_column("工作动态")
    fill(news)
    draft = add_article(sub_column("政府文件"), title="草稿", publish=False, slug="draft")
    personnel = sub_column("人事任免")
    private = add_article(personnel, title="任职通知", slug="rzt")
    PageViewRestriction.objects.create(page=personnel, restriction_type="login")
    store.root().mkdir(parents=True)
    (store.root() / "left-over.html").write_text("from an earlier deploy")

    out = StringIO()
    call_command("publish_site", stdout=out)

    files = store.stored_files()
    assert f"已生成 {len(files)} 个文件" in out.getvalue()
    assert {"index.html", "sitemap.xml", "sitemap/index.html"} <= set(files)
    assert stored(news.url, 2) is not None and stored(news.get_parent().url, 2) is not None
    assert "left-over.html" not in files
    published = [
        page for page in Page.objects.live().public().specific() if rules.is_published_type(page)
    ]
    assert len(published) > 50
    for page in published:
        assert stored(page.url) is not None, page.url
    never = [MailboxPage.objects.get(), SurveyColumnPage.objects.get(), personnel, private]
    for page in never:
        assert stored(page.url) is None, page.url
    assert stored(rules.public_path(draft.url_path)) is None


@pytest.mark.django_db
def test_publish_site_purge_empties_the_tree(client, site_tree):
    call_command("publish_site", stdout=StringIO())
    assert store.stored_files()
    out = StringIO()
    call_command("publish_site", "--purge", stdout=out)
    assert store.stored_files() == []
    assert "已清空" in out.getvalue()


# 设置 → 静态发布: the same run as a background job, started by 综合科-网站管理 -----------------

SITE = "govsite_publishing:site"


def test_the_site_manager_regenerates_every_page_in_the_background(
    client, role_users, django_capture_on_commit_callbacks
):
    news = sub_column("工作动态")
    fill(news)
    manager = role_users[roles.SITE_MANAGERS]
    client.force_login(manager)
    page = client.get(reverse(SITE)).content.decode()
    assert ">重新生成全部页面</button>" in page and "还没有在后台重新生成过全部页面" in page

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse(SITE), follow=True)
    html = response.content.decode()
    assert "已开始重新生成全部页面（后台任务），完成后本页显示结果" in html
    assert "正在重新生成" in html and "等待运行" in html
    assert ">重新生成全部页面</button>" not in html
    (job,) = Job.objects.all()
    assert job.label == "静态发布：重新生成全部页面" and job.requested_by == manager
    with django_capture_on_commit_callbacks(execute=False) as more:
        response = client.post(reverse(SITE), follow=True)  # a second click while it waits
    assert Job.objects.count() == 1 and not more
    assert "全部页面正在重新生成（后台任务）" in response.content.decode()

    for callback in callbacks:  # the worker picks the job up
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    files = store.stored_files()
    assert job.message.startswith(f"已生成 {len(files)} 个文件")
    assert job.total == whole_site.urls_to_publish() and job.done == job.total
    assert stored(news.url, 2) is not None and "sitemap.xml" in files
    html = client.get(reverse(SITE)).content.decode()
    assert "上次运行" in html and f"已生成 {len(files)} 个文件" in html
    assert "正在重新生成" not in html and ">重新生成全部页面</button>" in html


def test_a_run_cut_short_resumes_after_its_last_page(
    role_users, django_capture_on_commit_callbacks
):
    """A killed worker's run carries on from its checkpoint: the pages before it are not
    rendered again and the tree is not emptied again."""
    fill(sub_column("工作动态"), count=3)
    pages = list(whole_site.published_pages())
    assert len(pages) > 10
    cut = len(pages) // 2
    store.root().mkdir(parents=True)
    (store.root() / "kept.html").write_text("written before the worker was killed")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = tasks.start_publish_site(role_users[roles.SITE_MANAGERS])
    job.checkpoint = {"after": pages[cut - 1].path, "written": cut, "done": cut}
    job.save(update_fields=["checkpoint"])

    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.done == job.total == len(pages) + len(whole_site.SITE_WIDE_URLS)
    files = store.stored_files()
    assert "kept.html" in files  # not emptied again
    for page in pages[:cut]:
        if page.depth > 2:  # the homepage is rendered with every publication anyway
            assert stored(rules.public_path(page.url_path)) is None, page.url_path
    for page in pages[cut:]:
        assert stored(rules.public_path(page.url_path)) is not None, page.url_path


@pytest.mark.parametrize(
    "who", [roles.SYSTEM_ADMINS, roles.AUDIT_ADMINS, "秘书科-信息员", "秘书科-科长"]
)
def test_only_the_site_managers_regenerate_every_page(client, role_users, who):
    client.force_login(role_users[who])
    assert client.get(reverse(SITE)).status_code == 403
    response = client.post(reverse(SITE))
    assert response.status_code == 403
    assert "只有综合科网站管理人员可以重新生成全部页面" in response.content.decode()
    assert not Job.objects.exists()
    assert reverse(SITE) not in client.get(reverse("wagtailadmin_home")).content.decode()
