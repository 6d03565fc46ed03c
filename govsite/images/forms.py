"""The form of every image upload path (``WAGTAILIMAGES_IMAGE_FORM_BASE``), R-FMT-2 (第十七条).

An upload that breaks the rule is refused with its reasons, and the form comes back offering a
conforming version made from it (``rules.make_conforming``, its 4:3 crop placed on the focal
point sent with the form, on the head of a portrait, else centred): a preview, the JPEG itself in a
signed hidden field and 「采用符合规范的版本」. Accepting it sends the form again with that JPEG in
place of the file, which is then judged like any upload — never trusted for having been offered.
The offer is stateless: nothing is stored until an image conforms.

The chooser's upload tab in the page editor sends its form with ``FormData`` (a submit button's
name would not travel), so the choice is a hidden field set by ``images/conforming-version.js``.
"""

import base64
import binascii

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.fields import FileField
from django.template.defaultfilters import filesizeformat
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from . import rules

OFFER_SUFFIX = "-conforming"  # after the file field's name: the signed conforming JPEG
ACCEPT_SUFFIX = "-use-conforming"  # "1" once the officer accepted it
OFFER_SALT = "govsite.images.conforming-version"
OFFER_MAX_AGE = 24 * 3600  # seconds; an older offer is made afresh by uploading the original

OFFER_PENDING = "请点击「采用符合规范的版本」，或重新选择一个符合规范的图片文件。"
OFFER_EXPIRED = "符合规范的版本已失效，请重新选择原图上传。"


def sign_offer(version):
    return signing.dumps(
        {
            "name": version.name,
            "jpeg": base64.b64encode(version.data).decode("ascii"),
            "size": [version.width, version.height],
            "framing": version.framing,
        },
        salt=OFFER_SALT,
        compress=False,
    )


def read_offer(payload):
    """The version behind a signed ``payload``; ``signing.BadSignature`` (expired or altered)
    or ``ValueError`` when it is not one of ours."""
    try:
        offer = signing.loads(payload, salt=OFFER_SALT, max_age=OFFER_MAX_AGE)
        width, height = offer["size"]
        data = base64.b64decode(offer["jpeg"], validate=True)
        framing = offer.get("framing", rules.CENTRED)
        return rules.ConformingVersion(
            rules.jpeg_name(offer["name"]), data, width, height, framing=framing
        )
    except (KeyError, TypeError, binascii.Error) as exc:
        raise ValueError("not a conforming-version offer") from exc


class ConformingFileInput(forms.FileInput):
    """The file input; after a refusal, followed by the conforming version on offer."""

    template_name = "images/widgets/conforming_file_input.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.offer = None
        self.accepted = False

    def use_required_attribute(self, initial):
        # With a version on offer the file input may stay empty (the chooser's script refuses to
        # send a form whose required inputs are empty).
        return self.offer is None and super().use_required_attribute(initial)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.offer is not None:
            context["offer"] = {
                "version": self.offer,
                "payload": sign_offer(self.offer),
                "offer_name": name + OFFER_SUFFIX,
                "accept_name": name + ACCEPT_SUFFIX,
                "accepted": self.accepted,
            }
        return context


class UploadedImageField(WagtailImageField):
    """An upload read only as far as needed to judge it: its size first, then its header.
    A file that is not an image, or declares more pixels than allowed, is refused before any
    pixel is decoded. Whether the image conforms is for the form (``GovImageForm.clean_file``)."""

    default_validators = []  # the name says nothing: the content is judged

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", ConformingFileInput)
        super().__init__(**kwargs)
        limit = filesizeformat(self.max_upload_size) if self.max_upload_size else None
        self.help_text = (
            "第十七条：图片须为 JPG 格式，宽高比 4:3，不超过 500×375 像素，并附文字说明。"
            "不符合的图片会被拒收，同时提供一键生成的符合规范版本。"
            + (f"文件不超过 {limit}。" if limit else "")
        )
        # Used by the multiple-upload page's own checks in the browser.
        self.error_messages["invalid_image_extension"] = (
            "不支持的文件类型：请上传 JPG 图片（PNG、GIF、WebP 图片可转换为 JPG）。"
        )
        if limit:
            self.error_messages["file_too_large_unknown_size"] = (
                f"文件过大，图片文件不得超过 {limit}。"
            )

    def to_python(self, data):
        upload = FileField.to_python(self, data)
        if upload is None:
            return None
        rules.check_upload_size(upload.size)
        upload.inspection = rules.inspect(upload)
        upload.seek(0)
        return upload


class GovImageForm(BaseImageForm):
    """第十七条 (R-FMT-2) at every upload: only a conforming JPEG is stored, with its caption;
    anything else is refused with the reasons and a one-click conforming version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_expired = False
        if "file" not in self.fields:  # the multiple-upload edit step: the file was judged
            return
        old = self.fields["file"]
        field = UploadedImageField(
            label=old.label,
            required=old.required,
            widget=ConformingFileInput(attrs=old.widget.attrs),
        )
        self.fields["file"] = field
        if self.is_bound:
            self._take_up_offer(field)

    def _take_up_offer(self, field):
        """A version offered by the previous refusal: put in place of the file when accepted
        (and no new file was chosen), offered again otherwise."""
        name = self.add_prefix("file")
        payload = self.data.get(name + OFFER_SUFFIX)
        if not payload or self.files.get(name):
            return
        try:
            version = read_offer(payload)
        except (signing.BadSignature, ValueError):
            self.offer_expired = True  # said in ``clean_file``, instead of "required"
            field.required = False
            return
        field.widget.offer = version
        if self.data.get(name + ACCEPT_SUFFIX) == "1":
            files = self.files.copy()
            files[name] = version.as_upload()
            self.files = files
            field.widget.accepted = True
        else:
            field.required = False

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        widget = self.fields["file"].widget
        inspection = getattr(upload, "inspection", None)
        if inspection is None:  # no new file: the image's own (editing), or none at all
            if not upload and self.offer_expired:
                raise ValidationError(OFFER_EXPIRED, code="offer_expired")
            if not upload and widget.offer is not None:
                raise ValidationError(OFFER_PENDING, code="offer_pending")
            return upload
        problems = inspection.problems
        if problems:
            widget.accepted = False
            try:
                widget.offer = rules.make_conforming(upload, upload.name, self.posted_focus())
            except ValidationError as exc:
                widget.offer = None
                raise ValidationError([*problems, *exc.messages]) from None
            raise ValidationError(problems)
        return rules.clean_jpeg(upload, upload.name)

    def posted_focus(self):
        """The focal point sent with the form (Wagtail's hidden ``focal_point_*`` fields, which
        its focal-point editor fills), for the conforming version's crop; ``None`` when not set.
        The rule itself ignores one that lies outside the uploaded picture."""
        if "focal_point_x" not in self.fields:
            return None
        names = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
        return rules.Focus.of(*(self.data.get(self.add_prefix(name)) for name in names))

    @property
    def offer(self):
        """The conforming version on offer after a refusal, if any."""
        field = self.fields.get("file")
        return field.widget.offer if field is not None else None
