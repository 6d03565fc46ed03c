"""从 Word 文档导入: a .docx becomes the article body (R-FMT-1, R-FMT-2; 第十七条).

``govsite.wordfiles`` reads the document; this module makes body blocks of it and puts each
picture through the image rule. The rule is reached the way every upload reaches it: through
Wagtail's image form (``get_image_form``), which is ``govsite.images.forms.GovImageForm``
(``WAGTAILIMAGES_IMAGE_FORM_BASE``). For each picture:

- it conforms and the document gives its alt text (可选文字): stored, the alt text its 文字说明;
- it breaks the rule: the one-click conforming version the rule offers is judged like any upload
  and stored in its place, and the clerk is told which rule the original broke;
- it cannot be stored (no alt text to be its 文字说明, a file that is no readable picture, no
  permission to add images): an empty image block keeps its place, which must be filled (or
  removed) before the article can be submitted, and the clerk is told why;
- a decompression bomb refuses the whole import, naming the picture.

Nothing is stored while the form is judged (``plan``): pictures become images when the page form
saves (``WordImport.apply``), and only then does the body change.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry
from wagtail.rich_text import RichText

from govsite import wordfiles

CAPTION_MAX = 200  # GovImage.caption
REFUSE_WHOLE = {"too_many_pixels"}  # an image error that refuses the whole document


@dataclass
class PlannedImage:
    """One picture of the document and what becomes of it."""

    picture: wordfiles.WordImage
    form: object = None  # a valid image form, saved by ``apply``; None: an empty block
    note: str = ""  # what the clerk is told (empty: nothing to say)


@dataclass
class WordImport:
    """A document read and judged, ready to become the body."""

    name: str
    body: wordfiles.WordBody
    images: list = field(default_factory=list)

    def apply(self):
        """Store the pictures and return the body's blocks, in document order."""
        stored = {}
        for planned in self.images:
            if planned.form is not None:
                stored[planned.picture.number] = planned.form.save()
        blocks = []
        for part in self.body.parts:
            if part[0] == "text":
                blocks.append(("paragraph", RichText(part[1])))
            elif part[0] == "table":
                blocks.append(("table", table_value(part[1], part[2])))
            else:
                blocks.append(("image", {"image": stored.get(part[1].number), "caption": ""}))
        return blocks

    def notes(self):
        """What the clerk is told after the import: a summary, then one line per picture
        that needs them (``(level, text)``, level ``"success"`` or ``"warning"``)."""
        counts = [
            f"{self.body.count('text')} 段文字",
            f"{self.body.count('table')} 个表格",
            f"{self.body.count('image')} 幅图片",
        ]
        summary = (
            f"已从 Word 文档《{self.name}》导入正文（{'、'.join(counts)}），并保存为草稿。"
            "颜色、字体和 Word 样式已去掉，批注和删除的修订不导入；请核对正文后再提交审核。"
        )
        return [("success", summary)] + [
            ("warning", planned.note) for planned in self.images if planned.note
        ]


def table_value(rows, header):
    """The table block's value (``TableBlock``): plain cell text, merged cells split."""
    return {
        "data": rows,
        "first_row_is_table_header": header,
        "first_col_is_header": False,
        "table_caption": "",
        "cell": [],
        "mergeCells": [],
    }


def plan(body, name, user):
    """Judge every picture of ``body`` (``wordfiles.WordBody``) for ``user``, storing nothing.
    Raises ``ValidationError`` when a picture refuses the whole document (a decompression
    bomb)."""
    policy = policy_registry.get_by_type(get_image_model())
    collections = list(policy.collections_user_has_permission_for(user, "add")[:1])
    title = wordfiles.document_title(name)
    result = WordImport(name, body)
    for picture in body.images:
        if not collections:
            result.images.append(
                PlannedImage(
                    picture,
                    note=f"{picture.label}未导入：您没有上传图片的权限，正文中已在原位置留下"
                    "一个空的图片区块，请联系网站管理员，或删去该区块。",
                )
            )
            continue
        result.images.append(_judge(picture, title, user, collections[0]))
    return result


def _image_form(upload, picture, title, user, collection):
    # start-up order: Wagtail's image forms module reads the image model when imported, and
    # this module is imported with the page models.
    from wagtail.images.forms import get_image_form

    model = get_image_model()
    form_class = get_image_form(model)
    data = {
        "title": f"{title} 图{picture.number}"[:255],
        "caption": picture.alt[:CAPTION_MAX],
        "collection": collection.pk,
    }
    return form_class(
        data=data,
        files={"file": upload},
        user=user,
        instance=model(uploaded_by_user=user),
    )


def _upload(picture):
    return SimpleUploadedFile(picture.name, picture.data, content_type=picture.content_type)


def _judge(picture, title, user, collection):
    form = _image_form(_upload(picture), picture, title, user, collection)
    if form.is_valid():
        return PlannedImage(picture, form)
    file_errors = form.errors.as_data().get("file", [])
    for error in file_errors:
        if error.code in REFUSE_WHOLE:
            raise ValidationError(
                f"Word 文档中的{picture.label}：{error.messages[0]}整篇文档未导入，"
                "请在 WPS 或 Word 中删去或换掉这幅图片后再导入。",
                code="image_refused",
            )
    reasons = "；".join(message for error in file_errors for message in error.messages)
    version = getattr(form, "offer", None)  # the rule's one-click conforming version
    if version is not None:
        conforming = _image_form(version.as_upload(), picture, title, user, collection)
        if conforming.is_valid():
            return PlannedImage(
                picture,
                conforming,
                note=f"{picture.label}不符合第十七条（{reasons}），已换用一键生成的符合规范的版本"
                f"（{version.framing_words}，缩小为 {version.width}×{version.height} 像素，"
                "转为 JPG）。"
                "请在正文中查看；如主体被裁掉，请换用自己裁剪好的图片。",
            )
        form = conforming
        file_errors = form.errors.as_data().get("file", [])
    if "caption" in form.errors and not file_errors:
        return PlannedImage(
            picture,
            note=f"{picture.label}没有文字说明（第十七条要求图片附文字说明），未能导入，"
            "正文中已在原位置留下一个空的图片区块。请在该区块中上传图片并填写文字说明；"
            "或在 WPS/Word 中为图片填写“可选文字”（右键图片 → 编辑替换文字）后重新导入。",
        )
    reasons = "；".join(message for error in file_errors for message in error.messages)
    return PlannedImage(
        picture,
        note=f"{picture.label}未能导入：{reasons or '图片无法读取'}。正文中已在原位置留下"
        "一个空的图片区块，请在该区块中上传图片（JPG 格式），或删去该区块。",
    )
