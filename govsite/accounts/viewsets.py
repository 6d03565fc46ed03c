"""Wagtail's user and group screens with the 三员分立 checks (rules.py), installed through
``users_app.UsersAppConfig``. The forms lock what the editor may not change; the views refuse,
with the reason in Chinese, to open an account or a group the editor may not edit at all; the
user list's bulk actions skip such accounts (wagtail_hooks.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.users.views import groups, users

from . import forms, rules


class RefusalMixin:
    """Refuse GET and POST alike (after Wagtail's own permission check) with a message."""

    def refusal(self):
        return None

    def refuse(self, message):
        messages.error(self.request, message)
        return redirect(self.index_url_name)

    def get(self, request, *args, **kwargs):
        if message := self.refusal():
            return self.refuse(message)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if message := self.refusal():
            return self.refuse(message)
        return super().post(request, *args, **kwargs)


class ForUserFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class UserCreateView(ForUserFormMixin, users.CreateView):
    pass


class UserEditView(RefusalMixin, ForUserFormMixin, users.EditView):
    def refusal(self):
        if not rules.may_manage_account(self.request.user, self.object):
            return rules.MESSAGES["administrator_account"]
        return None


class UserDeleteView(RefusalMixin, users.DeleteView):
    def refusal(self):
        if not rules.may_change_roles(self.request.user, self.object):
            return rules.MESSAGES["administrator_account"]
        return None


class UserViewSet(users.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return forms.UserEditForm if for_update else forms.UserCreationForm


def group_refusal(actor, group):
    if rules.may_edit_group(actor, group):
        return None
    if rules.is_administrator_group(group):
        return rules.MESSAGES["administrator_group"]
    return rules.MESSAGES["own_group"]


class GroupCreateView(ForUserFormMixin, groups.CreateView):
    pass


class GroupEditView(RefusalMixin, ForUserFormMixin, groups.EditView):
    def refusal(self):
        return group_refusal(self.request.user, self.get_object())


class GroupDeleteView(RefusalMixin, groups.DeleteView):
    def refusal(self):
        return group_refusal(self.request.user, self.get_object())


class GroupViewSet(groups.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView

    def get_form_class(self, for_update=False):
        return forms.GroupForm
