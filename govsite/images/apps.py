import warnings

from django.apps import AppConfig
from django.conf import settings
from PIL import Image


class ImagesConfig(AppConfig):
    name = "govsite.images"
    label = "images"
    verbose_name = "图片"

    def ready(self):
        # 第十七条 intake (R-FMT-2): a decompression bomb is refused, never decoded. Pillow's own
        # guard uses the site's limit, and its warning (over the limit, under twice it) is an
        # error like the one it raises beyond that — for uploads and renditions alike.
        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
        warnings.simplefilter("error", Image.DecompressionBombWarning)
