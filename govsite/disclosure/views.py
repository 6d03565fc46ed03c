"""主题分类导入 in the admin (R-OPEN-1), for 综合科."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import FormView

from . import rules
from .forms import TopicImportForm


class TopicImportView(FormView):
    form_class = TopicImportForm
    template_name = "disclosure/admin/topic_import.html"

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_edit_disclosure_data(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        created = form.save()
        messages.success(self.request, f"导入完成，新增 {len(created)} 个主题分类。")
        return redirect("disclosure_topics:index")
