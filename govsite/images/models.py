"""The site's image model (第十七条, R-FMT-2): every image carries its 文字说明.

Which files may become a ``GovImage`` is decided in ``rules`` and enforced at upload by
``forms.GovImageForm``. Image permissions stay those of ``wagtailimages.Image`` (Wagtail checks
``add_image``/``choose_image`` for a custom image model too), so the section groups keep theirs.
"""

from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.search import index


class GovImage(AbstractImage):
    """第十七条: a 4:3 JPEG of at most 500×375 pixels, with a caption (文字说明)."""

    caption = models.CharField(
        "文字说明",
        max_length=200,
        help_text="第十七条：每幅图片须附文字说明，显示在图片下方。",
    )

    admin_form_fields = (
        "title",
        "file",
        "caption",
        "description",
        "collection",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )

    search_fields = [
        *AbstractImage.search_fields,
        index.SearchField("caption"),
        index.AutocompleteField("caption"),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = "图片"
        verbose_name_plural = "图片"

    @property
    def default_alt_text(self):
        # Wagtail's alt text: the description if given, else the caption rather than the title.
        return self.description or self.caption or self.title


class GovRendition(AbstractRendition):
    """A resized copy of a ``GovImage`` as the templates ask for it."""

    image = models.ForeignKey(GovImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        verbose_name = "图片缩略版本"
        verbose_name_plural = "图片缩略版本"
