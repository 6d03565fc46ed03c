from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.pages.create import CreateView
from wagtail.models import Page, Site

from .models import ColumnPage, StructurePage, SubColumnPage


def _type_names(models):
    # A specialised sub-column (监督电话, 满意度调查…) is still a 子栏目: name the general kind.
    general = [m for m in models if not any(m is not o and issubclass(m, o) for o in models)]
    return "、".join(str(model._meta.verbose_name) for model in general)


def creation_refusal(user, parent, page_class):
    """Why ``user`` may not create a ``page_class`` under ``parent``, in Chinese, or None.

    The same rules Wagtail applies (page types and ownership), put into words a member of
    staff can act on (R-TREE-2)."""
    kind = page_class._meta.verbose_name
    if not page_class.can_create_at(parent):
        allowed = [m for m in type(parent).creatable_subpage_models() if m.can_create_at(parent)]
        where = _type_names(page_class.allowed_parent_page_models())
        hint = f"这里只能新建：{_type_names(allowed)}。" if allowed else "这里不能再新建下级页面。"
        return f"不能在「{parent.title}」下新建{kind}：{hint}{kind}只能建在{where}下。"
    perms = parent.permissions_for_user(user)
    if not perms.can_add_subpage():
        # A kind of sub-column may say itself why it is closed (an archived 专栏, govsite/topics).
        closed = getattr(perms, "add_refusal", None)
        if closed is not None and closed():
            return closed()
        if isinstance(parent, SubColumnPage):
            return (
                f"「{parent.title}」由{parent.owner_section.name}负责，"
                f"只有该科室的信息员和科长可以在此新建内容。"
            )
        if isinstance(parent, StructurePage):
            return "栏目结构只能由综合科网站管理员调整。"
        return "您没有在此新建页面的权限。"
    return None


@require_admin_access
def guarded_create_page(request, app_label, model_name, parent_page_id):
    """Wagtail's page creation, preceded by a check that explains a refusal in Chinese."""
    parent = get_object_or_404(Page, id=parent_page_id).specific
    content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
    page_class = content_type.model_class() if content_type else None
    if page_class is not None and issubclass(page_class, Page):
        refusal = creation_refusal(request.user, parent, page_class)
        if refusal:
            messages.error(request, refusal)
            return redirect("wagtailadmin_explore", parent.pk)
    return CreateView.as_view()(
        request,
        content_type_app_name=app_label,
        content_type_model_name=model_name,
        parent_page_id=parent_page_id,
    )


def site_map(request):
    """网站地图: every live column and sub-column, in tree order (SPEC §11)."""
    site = Site.find_for_request(request)
    home = site.root_page.specific
    columns = ColumnPage.objects.child_of(home).live()
    tree = [(column, column.sub_columns()) for column in columns]
    return TemplateResponse(
        request,
        "columns/site_map.html",
        {"page": home, "self": home, "tree": tree, "site_map": True},
    )
