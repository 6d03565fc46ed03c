"""R-SEC-5, hostile uploads: which documents staff may upload and how large, said in Chinese
with what to do instead (``WAGTAILDOCS_DOCUMENT_FORM_BASE``; docs/hardening.md).

The rules are the settings ``WAGTAILDOCS_EXTENSIONS`` (office, PDF/OFD, text, ZIP, audio and
video; images go through 图片, where 第十七条 applies) and ``WAGTAILDOCS_MAX_UPLOAD_SIZE``. A
document is judged by its extension only: it is always served as what that extension says,
with ``nosniff`` and ``default-src 'none'`` (Wagtail's document view), so whatever the file
holds cannot run as a page of this site.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from wagtail.documents.forms import BaseDocumentForm


def allowed_extensions():
    return [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]


def allowed_text():
    return "、".join(allowed_extensions())


def too_large(limit):
    return (
        f"文件过大（%(file_size)s），文档不得超过 {filesizeformat(limit)}。"
        "请压缩或拆分后重新上传；音视频可降低码率后再上传。"
    )


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form with the site's refusals: the type (extension) first, then the
    size, each naming the rule and the fix, once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None:
            return
        limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        if limit:
            field.error_messages["file_too_large"] = too_large(limit)
            field.error_messages["file_too_large_unknown_size"] = (
                f"文件过大，文档不得超过 {filesizeformat(limit)}。请压缩或拆分后重新上传。"
            )
        field.help_text = f"允许的类型：{allowed_text()}。" + (
            f"不超过 {filesizeformat(limit)}。" if limit else ""
        )
        field.widget.attrs["accept"] = ",".join(f".{ext}" for ext in allowed_extensions())

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file (not the one being kept)
            extension = PurePath(upload.name or "").suffix.lstrip(".").lower()
            if extension not in allowed_extensions():
                shown = f"“.{extension}”" if extension else "没有扩展名的"
                raise ValidationError(
                    f"不允许上传{shown}文件。允许的类型：{allowed_text()}。"
                    "请将文件另存为其中一种格式（如 PDF）后重新上传；"
                    "图片请在“图片”中上传。",
                    code="extension",
                )
        return upload

    def _post_clean(self):
        refused = len(self._errors.get("file", []))
        super()._post_clean()
        if refused:
            # Document.clean checks the extension of a file the form already refused (then
            # an empty name): one reason per refusal is enough.
            del self._errors["file"][refused:]
