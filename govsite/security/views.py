"""The second factor for every officer who must use it, and the screens of 安全管理员 (R-SEC-3;
三员分立).

* ``security_otp_enroll``: set up an authenticator app (QR code and the secret as text, confirmed
  with a code), then the ten recovery codes, shown once;
* ``security_otp_verify``: the code (or a recovery code) after the password, once per session;
* ``security_otp_settings``: the officer's own page — new recovery codes, another phone;
* ``security_lockouts``: current lockouts, 解除锁定;
* ``security_twofactor_accounts``: every account's second factor, 重置双因素认证.

The ``security_otp`` pages are exempt from the second-factor and password-change redirects, so
each checks for itself what the session may do there.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django_otp import login as otp_login
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import devices, lockout, rules
from .forms import CodeForm
from .models import SecurityPolicy
from .signals import security_event

WRONG_CODE = "验证码不正确。请确认手机时间准确，输入身份验证器当前显示的 6 位数字。"
WRONG_CODE_OR_RECOVERY = "验证码或恢复码不正确。"


def send(action, request, target=None, **detail):
    security_event.send(
        sender=SecondFactorView,
        action=action,
        actor=request.user if request.user.is_authenticated else None,
        target=target,
        request=request,
        detail=detail,
    )


def throttled_message(until):
    return f"错误次数过多，请于 {timezone.localtime(until):%H:%M:%S} 之后再试。"


def safe_next(request):
    """Where to go once the second factor is done: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def with_next(url_name, next_url):
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def mark_verified(request, device):
    """The session is now verified by ``device``; a fresh session id, as at login."""
    request.session.cycle_key()
    otp_login(request, device)


@method_decorator(never_cache, name="dispatch")
class SecondFactorView(TemplateView):
    """The pages an officer goes through between the password and the admin."""

    def dispatch(self, request, *args, **kwargs):
        self.next_url = safe_next(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.next_url}


class EnrollView(SecondFactorView):
    """Set up the authenticator: only while the account has none (otherwise anybody holding the
    password could add their own)."""

    template_name = "security/otp/enroll.html"

    def dispatch(self, request, *args, **kwargs):
        if devices.confirmed_totp(request.user):
            if request.user.is_verified():
                return redirect(safe_next(request))
            return redirect(with_next("security_otp_verify", safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = devices.enrollment_device(self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "qr_svg": devices.qr_svg(device),
            "secret": devices.secret_text(device),
            "required": rules.requires_second_factor(self.request.user),
        }

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CodeForm()))

    def post(self, request, *args, **kwargs):
        form = CodeForm(request.POST)
        device = devices.enrollment_device(request.user)
        if form.is_valid():
            until = devices.throttled_until(device)
            if until is not None:
                form.add_error("code", throttled_message(until))
            elif devices.confirm_enrollment(device, form.cleaned_data["code"]):
                device.refresh_from_db()
                mark_verified(request, device)
                send("otp_enrolled", request, target=request.user)
                codes = devices.new_recovery_codes(request.user)
                send("recovery_codes_generated", request, target=request.user, count=len(codes))
                return TemplateResponse(
                    request,
                    "security/otp/recovery_codes.html",
                    {"codes": codes, "next": self.next_url, "enrolled": True},
                )
            else:
                send("otp_failed", request, target=request.user, stage="enroll")
                form.add_error("code", WRONG_CODE)
        return self.render_to_response(self.get_context_data(form=form))


class VerifyView(SecondFactorView):
    """The code after the password, once per session (R-SEC-3)."""

    template_name = "security/otp/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(safe_next(request))
        if (
            devices.confirmed_totp(request.user) is None
            and devices.recovery_device(request.user) is None
        ):
            if rules.requires_second_factor(request.user):
                return redirect(with_next("security_otp_enroll", safe_next(request)))
            return redirect(safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return CodeForm(
            data,
            help_text="手机不在身边时，可以输入一个恢复码（每个只能用一次）。",
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            result = devices.verify(request.user, form.cleaned_data["code"])
            if result.device is not None:
                mark_verified(request, result.device)
                send("otp_verified", request, target=request.user, method=result.method)
                if result.method == "recovery":
                    left = devices.recovery_codes_left(request.user)
                    send("recovery_code_used", request, target=request.user, left=left)
                    messages.warning(
                        request,
                        f"您使用了一个恢复码，还剩 {left} 个。手机丢失或更换时，请在"
                        "“账号设置 → 更多动作 → 双因素认证”中更换身份验证器，或联系安全管理员。",
                    )
                return redirect(self.next_url)
            if result.throttled_until is not None:
                form.add_error("code", throttled_message(result.throttled_until))
            else:
                send("otp_failed", request, target=request.user, method=result.method)
                form.add_error(
                    "code", WRONG_CODE if result.method == "totp" else WRONG_CODE_OR_RECOVERY
                )
        return self.render_to_response(self.get_context_data(form=form))


class SettingsView(WagtailAdminTemplateMixin, SecondFactorView):
    """The officer's own page: the state of the second factor, new recovery codes, another
    phone. Changes need a session verified with the second factor."""

    template_name = "security/otp/settings.html"
    page_title = "双因素认证"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if devices.confirmed_totp(user) and not user.is_verified():
            return redirect(with_next("security_otp_verify", request.get_full_path()))
        if not devices.confirmed_totp(user) and rules.requires_second_factor(user):
            return redirect(with_next("security_otp_enroll", request.get_full_path()))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "state": devices.state_of(self.request.user),
            "required": rules.requires_second_factor(self.request.user),
        }

    def post(self, request, *args, **kwargs):
        user = request.user
        if devices.confirmed_totp(user) is None:
            raise PermissionDenied
        if request.POST.get("action") == "replace":
            devices.remove_second_factor(user)
            send("otp_reset", request, target=user, by="self")
            return redirect(with_next("security_otp_enroll", reverse("security_otp_settings")))
        codes = devices.new_recovery_codes(user)
        send("recovery_codes_generated", request, target=user, count=len(codes))
        return TemplateResponse(
            request,
            "security/otp/recovery_codes.html",
            {"codes": codes, "next": reverse("security_otp_settings"), "enrolled": False},
        )


# 安全管理员 ---------------------------------------------------------------------------------------


class SecurityAdminView(WagtailAdminTemplateMixin, TemplateView):
    permission_check = None

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": "", "label": self.page_title},
        ]


class LockoutsView(SecurityAdminView):
    """登录锁定: who and which address is locked out now, until when; 解除锁定."""

    template_name = "security/lockouts.html"
    page_title = "登录锁定"
    header_icon = "lock"
    permission_check = staticmethod(rules.may_unlock)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "lockouts": lockout.current_lockouts(),
            "policy": SecurityPolicy.load(request_or_site=self.request),
            "ACCOUNT": lockout.ACCOUNT,
        }

    def post(self, request, *args, **kwargs):
        kind, value = request.POST.get("kind"), request.POST.get("value", "").strip()
        if kind not in (lockout.ACCOUNT, lockout.ADDRESS) or not value:
            messages.error(request, "没有指定要解除锁定的账号或 IP 地址。")
            return redirect("security_lockouts")
        lockout.unlock(kind, value)
        target = None
        if kind == lockout.ACCOUNT:
            target = get_user_model().objects.filter(username=value).first()
            messages.success(request, f"已解除账号 {value} 的登录锁定。")
            send("unlocked", request, target=target, username=value)
        else:
            messages.success(request, f"已解除 IP 地址 {value} 的登录锁定。")
            send("unlocked", request, ip_address=value)
        return redirect("security_lockouts")


class TwoFactorAccountsView(SecurityAdminView):
    """双因素认证: every active account, whether it must use a second factor and whether it has
    one; 重置双因素认证 when a phone is lost or replaced."""

    template_name = "security/twofactor_accounts.html"
    page_title = "双因素认证"
    header_icon = "key"
    permission_check = staticmethod(rules.may_reset_second_factor)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .prefetch_related("groups")
            .order_by("username")
        )
        if query:
            users = users.filter(
                Q(username__icontains=query)
                | Q(last_name__icontains=query)
                | Q(first_name__icontains=query)
            )
        policy = SecurityPolicy.load(request_or_site=self.request)
        rows = [
            {
                "user": user,
                "groups": "、".join(group.name for group in user.groups.all()),
                "required": rules.requires_second_factor(user, policy),
                "state": devices.state_of(user),
            }
            for user in users
        ]
        return {**super().get_context_data(**kwargs), "rows": rows, "query": query}

    def post(self, request, *args, **kwargs):
        user = get_object_or_404(get_user_model(), pk=request.POST.get("user"))
        removed = devices.remove_second_factor(user)
        name = user.get_full_name() or user.username
        if removed:
            send("otp_reset", request, target=user)
            messages.success(
                request,
                f"已重置 {name}（{user.username}）的双因素认证，对方下次进入后台时须重新设置。",
            )
        else:
            messages.warning(request, f"{name}（{user.username}）还没有设置双因素认证。")
        query = urlencode({"q": request.POST.get("q", "")})
        return redirect(f"{reverse('security_twofactor_accounts')}?{query}")
