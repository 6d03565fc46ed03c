"""The staff guides (帮助): one Chinese guide per role, kept as Markdown in docs/staff/ and served
by the site itself, so that help works on the office network without the internet.

Which guides exist, and for which role each is written, is data: ``GUIDES``, in the order the
帮助 menu lists the guides that are not the user's own; who holds which role is answered in
``govsite.guides.rules``.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    file: str  # under settings.GOVSITE_STAFF_GUIDES_DIR
    role: str  # a role of govsite.guides.rules.FIRST; "everyone" for all staff

    @property
    def path(self):
        return settings.GOVSITE_STAFF_GUIDES_DIR / self.file


GUIDES = [
    Guide("officer", "信息员工作指南", "信息员.md", "officer"),
    Guide("chief", "科长工作指南", "科长.md", "chief"),
    Guide("director", "主管主任工作指南", "主管主任.md", "director"),
    Guide("zonghe", "综合科（在线交流）工作指南", "综合科.md", "mailbox_staff"),
    Guide("site-manager", "综合科-网站管理工作指南", "综合科-网站管理.md", "site_manager"),
    Guide("system-admin", "系统管理员工作指南", "系统管理员.md", "system_admin"),
    Guide("security-admin", "安全管理员工作指南", "安全管理员.md", "security_admin"),
    Guide("audit-admin", "审计管理员工作指南", "审计管理员.md", "audit_admin"),
    Guide("reporting", "信息报送工作指南", "信息报送.md", "everyone"),
    Guide("reporting-bulletin", "信息报送通报与报送提醒", "信息报送通报.md", "everyone"),
    Guide("freshness", "栏目更新", "栏目更新.md", "everyone"),
    Guide("disclosure", "政务公开（文件的公开属性）", "政务公开.md", "everyone"),
    Guide("service-guides", "办事指南", "办事指南.md", "everyone"),
    Guide("topics", "专栏申请", "专栏.md", "everyone"),
    Guide("organisation", "领导简介和机构职能", "机构概况.md", "everyone"),
    Guide("assessment", "监督考核（双百考核得分）", "考核.md", "everyone"),
    Guide("account", "账号与密码", "账号与密码.md", "everyone"),
    Guide("two-factor", "双因素认证", "双因素认证.md", "everyone"),
]
BY_SLUG = {guide.slug: guide for guide in GUIDES}
BY_FILE = {guide.file: guide for guide in GUIDES}
