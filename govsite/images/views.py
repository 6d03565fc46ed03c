"""添加多张图片 with R-FMT-2's conforming version (第十七条).

Wagtail's multiple-upload page sends each file on its own and shows a refusal as one line of
text. Here a refused image whose conforming version could be made comes back instead as a
pending upload of that version (Wagtail's ``UploadedFile``, as for any image still missing its
caption), with the reasons and a preview above the form: filling in the 文字说明 and pressing
「更新」 keeps that version; 「删除」 discards it. Nothing becomes an image before that.
"""

from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from wagtail.images.views import multiple
from wagtail.models import UploadedFile


class AddView(multiple.AddView):
    edit_form_template_name = "images/multiple/edit_form.html"
    refusal = None

    def get_invalid_response_data(self, form):
        version = form.offer
        if version is None:
            return super().get_invalid_response_data(form)
        self.refusal = (form.errors["file"], version)
        self.upload_object = UploadedFile.objects.create(
            for_content_type=ContentType.objects.get_for_model(self.model),
            file=version.as_upload(),
            uploaded_by_user=self.request.user,
        )
        self.object = self.model(
            title=self.request.POST.get("title") or PurePath(version.name).stem,
            collection_id=self.request.POST.get("collection"),
        )
        return self.get_edit_upload_response_data()

    def get_edit_upload_form_context_data(self):
        context = super().get_edit_upload_form_context_data()
        if self.refusal is not None:
            context["refusal"], context["version"] = self.refusal
        return context
