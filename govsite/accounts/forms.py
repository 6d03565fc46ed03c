import copy

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.functional import lazy
from django.utils.html import format_html
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.users import forms as wagtail_forms

from . import rules


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, whose password field has no (translatable) label."""

    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(attrs={"placeholder": "请输入密码"}),
        strip=False,
    )


def _rules_help_text(lead=""):
    lead_html = format_html("<p>{}</p>", lead) if lead else ""
    return format_html("{}<p>密码规则：</p>{}", lead_html, password_validators_help_text_html())


rules_help_text = lazy(_rules_help_text, str)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """The forced-change page (R-SEC-2): the current password, then the new one twice, checked
    against every rule of AUTH_PASSWORD_VALIDATORS (the rules are shown beside it)."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "当前密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = ""  # the page lists the rules once, above
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password2"].help_text = "请再输入一遍新密码，以免输错。"


# 三员分立 on Wagtail's user and group forms (rules.py) -------------------------------------------


class GroupCheckboxes(forms.CheckboxSelectMultiple):
    """The groups of a user, with the ones the editor may not assign shown but disabled."""

    def __init__(self, *args, locked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = {str(pk) for pk in locked}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.locked:
            option["attrs"]["disabled"] = True
        return option


class LockedFieldsMixin:
    """Fields the editor may not change are disabled (Django then keeps their value); a crafted
    POST that tries to change them anyway is refused with the reason."""

    def lock(self, name, message):
        field = self.fields.get(name)
        if field is None:
            return
        field.disabled = True
        field.help_text = message
        self.locked[name] = message

    def posted_change(self, name):
        key = self.add_prefix(name)
        if key not in self.data:
            return False  # a disabled input is never sent
        field = copy.copy(self.fields[name])
        field.disabled = False
        posted = field.widget.value_from_datadict(self.data, self.files, key)
        return field.has_changed(self.get_initial_for_field(field, name), posted)

    def refuse_locked_changes(self):
        for name, message in self.locked.items():
            if self.posted_change(name):
                self.add_error(name, message)


class AccountFormMixin(LockedFieldsMixin):
    """Wagtail's user create/edit form, for an editor (``for_user``) bound by 三员分立."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.locked = {}
        if for_user is None:
            return
        user = self.instance
        if not rules.may_change_roles(for_user, user):
            message = rules.MESSAGES["own_groups"] if for_user.pk == user.pk else None
            self.lock("groups", message or rules.MESSAGES["administrator_account"])
            self.lock("is_superuser", rules.MESSAGES["own_status"])
            self.lock("is_active", rules.MESSAGES["own_status"])
        elif not rules.may_grant_superuser(for_user):
            self.lock("is_superuser", rules.MESSAGES["superuser"])
        if "groups" in self.fields and "groups" not in self.locked:
            self.limit_groups()

    def limit_groups(self):
        field = self.fields["groups"]
        locked = [g.pk for g in field.queryset if not rules.may_assign_group(self.for_user, g)]
        field.widget = GroupCheckboxes(locked=locked)
        field.widget.choices = field.choices
        if locked:
            field.help_text = rules.MESSAGES["administrator_groups"]

    def clean(self):
        cleaned_data = super().clean()
        if self.for_user is None:
            return cleaned_data
        self.refuse_locked_changes()
        if "groups" in self.fields and "groups" not in self.locked and "groups" in cleaned_data:
            self.clean_assigned_groups(cleaned_data)
        return cleaned_data

    def clean_assigned_groups(self, cleaned_data):
        chosen = set(cleaned_data["groups"])
        current = set(self.instance.groups.all()) if self.instance.pk else set()
        refused = {g for g in chosen ^ current if not rules.may_assign_group(self.for_user, g)}
        if refused & chosen:
            self.add_error("groups", rules.MESSAGES["administrator_groups"])
            return
        # Disabled boxes are not sent: the groups the editor may not touch stay as they are.
        cleaned_data["groups"] = list((chosen - refused) | (current & refused))


class UserCreationForm(AccountFormMixin, wagtail_forms.UserCreationForm):
    pass


class UserEditForm(AccountFormMixin, wagtail_forms.UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].help_text = rules_help_text("不修改请留空。")


class GroupForm(wagtail_forms.GroupForm):
    """Wagtail's group form: the permissions that make an administrator are granted by a
    superuser only; the three administrator groups keep their names."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        if for_user is not None and not for_user.is_superuser:
            # Left out of registered_permissions, a group's reserved permissions are kept on
            # save (Wagtail re-adds what its form does not show) and cannot be chosen.
            self.registered_permissions = self.registered_permissions.exclude(
                content_type__app_label__in=rules.RESERVED_PERMISSION_APPS
            )
            self.fields["permissions"].queryset = self.registered_permissions.select_related(
                "content_type"
            )
            self.fields["permissions"].error_messages["invalid_choice"] = rules.MESSAGES[
                "reserved_permission"
            ]

    def clean(self):
        cleaned_data = super().clean()
        # Wagtail's permission table shows no field errors; a form-wide error is listed in the
        # message at the top of the page.
        if self.has_error("permissions", code="invalid_choice"):
            self.add_error(None, rules.MESSAGES["reserved_permission"])
        return cleaned_data

    def clean_name(self):
        name = super().clean_name()
        if self.instance.pk is not None:
            original = type(self.instance).objects.get(pk=self.instance.pk).name
            if original != name and original in rules.ADMINISTRATOR_GROUPS:
                raise forms.ValidationError(rules.MESSAGES["group_name"])
        return name
