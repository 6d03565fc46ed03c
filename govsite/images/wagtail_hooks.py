"""Images in the admin (第十七条, R-FMT-2): the script behind 「采用符合规范的版本」 and the
multiple-upload page that offers the conforming version too."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks

from . import views


@hooks.register("insert_global_admin_js")
def conforming_version_js():
    # Every admin page: the image add and edit views, and the chooser's upload tab, which opens
    # inside the page editor.
    return format_html('<script src="{}" defer></script>', static("images/conforming-version.js"))


# Before Wagtail's own ``images/`` URLs, so that this path (still reversed as
# ``wagtailimages:add_multiple``) reaches the view above.
@hooks.register("register_admin_urls", order=-1)
def multiple_upload_url():
    return [
        path("images/multiple/add/", views.AddView.as_view(), name="govsite_images_add_multiple")
    ]
