"""Content of every kind a backup must carry: an account for every role (group memberships,
section directors), articles in several columns with their revisions and log entries, one of
them edited twice after publication with a draft on top, an image with renditions, a document,
letters with attachments in the private storage and their handling events, a changed security
policy, and audit entries when the audit log is installed. (The demo data would do too, but
takes longer to load than the whole round trip.)"""

from io import BytesIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Page

from govsite.columns.models import ContentKind, SubColumnPage
from govsite.images.models import GovImage
from govsite.mailbox import cases
from govsite.mailbox.models import Letter
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.security.models import SecurityPolicy
from govsite.security.signals import security_event
from govsite.testing.helpers import article_model

PASSWORD = "Backup-Test-2026!"


def jpeg(width=400, height=300, colour=(30, 110, 160)):
    buffer = BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def make_user(username, *group_names):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.cn"
    )
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def build_content():
    """Fill the (bootstrapped) database and storages; return what was made, by kind."""
    for section in Section.objects.all():
        make_user(f"backup_{section.code}_officer", section.officer_group_name)
        make_user(f"backup_{section.code}_chief", section.chief_group_name)
    director = make_user("backup_director", roles.DIRECTORS)
    for section in Section.objects.order_by("pk")[:2]:
        section.directors.add(director)
    make_user("backup_manager", roles.SITE_MANAGERS, roles.SYSTEM_ADMINS)
    security_admin = make_user("backup_secadmin", roles.SECURITY_ADMINS)
    make_user("backup_auditor", roles.AUDIT_ADMINS)
    officer = get_user_model().objects.get(username="backup_wenshu_officer")

    # Articles in three columns; the first edited twice after publication, with a draft on top.
    articles = []
    for number, column in enumerate(
        SubColumnPage.objects.filter(content_kind=ContentKind.DYNAMIC).order_by("path")[:3], start=1
    ):
        # In a 公文栏目 (人事任免 comes first) the article is a 政府信息公开文件.
        article = column.add_child(
            instance=article_model(column)(title=f"备份测试文章{number}", owner=officer, live=False)
        )
        article.save_revision(user=officer).publish(user=director, skip_permission_checks=True)
        articles.append(article)
    article = Page.objects.get(pk=articles[0].pk).specific
    for edit in ("修订一", "修订二"):
        article.title = f"{article.title}（{edit}）"
        article.save_revision(user=officer).publish(user=director, skip_permission_checks=True)
        article.refresh_from_db()
    article.title = f"{article.title}（草稿）"
    article.save_revision(user=officer)

    image = GovImage.objects.create(
        title="滨江公园",
        caption="临江区滨江公园一角",
        file=ImageFile(BytesIO(jpeg()), name="滨江公园.jpg"),
    )
    renditions = [image.get_rendition("fill-200x150"), image.get_rendition("width-120")]
    document = get_document_model().objects.create(
        title="办事指南",
        file=ContentFile(b"%PDF-1.4\n% GovSite backup test\n%%EOF\n", name="办事指南.pdf"),
    )

    assigned, _code = cases.receive(
        name="张三",
        subject="关于小区停车难的建议",
        text="建议在滨江路增设停车位。我的电话是13812345678。",
        phone="13812345678",
        attachment=ContentFile("现场情况说明。".encode() * 50, name="现场情况说明.txt"),
        consent_to_publish=True,
    )
    office = get_user_model().objects.get(username="backup_zonghe_officer")  # owns 沟通信箱
    cases.classify(assigned, office, Letter.Scope.INTERNAL)
    cases.assign(assigned, office, Section.objects.get(name="文书科"))
    cases.draft(assigned, officer, "您好，您的建议已转交相关部门研究。")
    with_photo, _code = cases.receive(
        name="李四",
        subject="路灯损坏",
        text="滨江路 3 号附近的路灯不亮。",
        attachment=ContentFile(jpeg(320, 240, (200, 40, 40)), name="路灯照片.jpg"),
    )

    policy = SecurityPolicy.load()
    policy.password_max_age_days = 60
    policy.save()
    policy.twofactor_groups.add(Group.objects.get(name=roles.DIRECTORS))
    security_event.send(
        sender=SecurityPolicy,
        action="policy_changed",
        actor=security_admin,
        target=None,
        request=None,
        detail={"password_max_age_days": 60},
    )
    return {
        "article": article,
        "image": image,
        "renditions": renditions,
        "document": document,
        "letters": [assigned, with_photo],
        "audit_installed": apps.is_installed("govsite.audit"),
    }
