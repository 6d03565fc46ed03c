"""The user's own account pages in the admin: 修改密码 (R-SEC-2, also where an expired or reset
password is changed) and 登录会话 (R-SEC-1: the account's logins elsewhere, which can be
ended). Thin: the rules are in ``models``, ``sessions`` and ``validators``."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govsite.security.models import SecurityPolicy

from . import middleware, sessions
from .forms import PasswordChangeForm
from .models import UserSession

PASSWORD_TITLE = "修改密码"
SESSIONS_TITLE = "登录会话"


def reason_text(reason, policy):
    if reason == "must_change":
        return "管理员为您新建了账号或重置了密码。请先设置一个只有您自己知道的新密码，再继续使用。"
    if reason == "expired":
        return (
            f"您的密码已超过 {policy.password_max_age_days} 天未修改，已经过期。"
            "请先修改密码，再继续使用。"
        )
    return ""


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PasswordChangeView(WagtailAdminTemplateMixin, FormView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    page_title = PASSWORD_TITLE
    header_icon = "key"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": PASSWORD_TITLE}]

    def next_url(self):
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return ""

    def get_context_data(self, **kwargs):
        policy = SecurityPolicy.load(self.request)
        reason = self.request.user.password_change_reason(policy)
        return {
            **super().get_context_data(**kwargs),
            "policy": policy,
            "reason": reason_text(reason, policy),
            "rules_html": password_validators_help_text_html(),
            "next": self.next_url(),
        }

    def form_valid(self, form):
        user = form.save()
        update_session_auth_hash(self.request, user)
        for key in (middleware.EXPIRED_LOGGED, middleware.EXPIRY_WARNED):
            self.request.session.pop(key, None)
        messages.success(self.request, "密码已修改，下次登录请使用新密码。")
        return redirect(self.next_url() or reverse("wagtailadmin_home"))


class SessionsView(WagtailAdminTemplateMixin, TemplateView):
    """The account's current logins; the others can be ended (R-SEC-1)."""

    template_name = "accounts/sessions.html"
    page_title = SESSIONS_TITLE
    header_icon = "user"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": SESSIONS_TITLE}]

    def rows(self):
        policy = SecurityPolicy.load(self.request)
        return UserSession.objects.filter(user=self.request.user).active(policy)

    def get_context_data(self, **kwargs):
        own_id = sessions.current_row_id(self.request)
        rows = [
            {
                "pk": row.pk,
                "current": row.pk == own_id,
                "ip": row.ip or "未知地址",
                "browser": sessions.describe_user_agent(row.user_agent),
                "user_agent": row.user_agent,
                "started_at": row.started_at,
                "last_seen_at": row.last_seen_at,
            }
            for row in self.rows()
        ]
        rows.sort(key=lambda row: (not row["current"], -row["started_at"].timestamp()))
        return {
            **super().get_context_data(**kwargs),
            "sessions": rows,
            "others": sum(1 for row in rows if not row["current"]),
        }

    def post(self, request):
        others = self.rows().exclude(pk=sessions.current_row_id(request))
        choice = request.POST.get("end", "")
        if choice != "others":
            others = others.filter(pk=choice) if choice.isdigit() else others.none()
        ended = sessions.end_sessions(
            others,
            reason=UserSession.EndReason.ENDED_BY_USER,
            actor=request.user,
            request=request,
        )
        if ended:
            messages.success(
                request, f"已结束 {ended} 处登录。如果不是您本人登录，请立即修改密码。"
            )
        else:
            messages.warning(request, "没有可以结束的登录：它可能已经退出或超时。")
        return redirect("accounts_sessions")
