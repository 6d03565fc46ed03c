"""第十七条 on the public site: an article's image shows its caption (文字说明) — the block's own,
or the image's when the block leaves it empty."""

import pytest

from govsite.columns.blocks import CaptionedImageBlock
from govsite.testing.helpers import add_article, sub_column

from .factories import make_image

pytestmark = pytest.mark.django_db


def image_block(image, caption=""):
    return [("image", {"image": image, "caption": caption})]


def test_block_caption_is_optional():
    block = CaptionedImageBlock()
    assert not block.child_blocks["caption"].required
    assert block.child_blocks["caption"].field.help_text == "留空则使用图片自身的文字说明。"


def test_article_shows_the_images_caption_when_the_block_has_none(client, site_tree):
    image = make_image(caption="区政府办公室外景")
    article = add_article(sub_column("领导重要讲话"), "外景", body=image_block(image))
    html = client.get(article.url).content.decode()
    assert "<figcaption>区政府办公室外景</figcaption>" in html
    assert 'alt="区政府办公室外景"' in html


def test_article_shows_the_blocks_own_caption_first(client, site_tree):
    image = make_image(caption="区政府办公室外景")
    article = add_article(
        sub_column("领导重要讲话"), "新楼", body=image_block(image, "新办公楼启用仪式")
    )
    html = client.get(article.url).content.decode()
    assert "<figcaption>新办公楼启用仪式</figcaption>" in html
    assert "区政府办公室外景" not in html
