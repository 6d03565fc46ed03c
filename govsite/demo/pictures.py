"""题图 of the demo's picture news (issue 17, R-SITE-1): scenes drawn with Pillow — shapes, no
real place or person — then made conforming by the image rule as an upload would be (第十七条:
JPG, 4:3, at most 500×375, with a caption)."""

import io

from PIL import Image, ImageDraw

from govsite.images import rules
from govsite.images.models import GovImage

SIZE = (800, 600)
SKY, GROUND = "#cfe3f2", "#d9d2c3"


def _meeting(draw, width, height):
    """A meeting room: a screen on the wall, a long table, people seated on both sides."""
    draw.rectangle((0, 0, width, height), fill="#efe6d6")
    draw.rectangle((width * 0.3, 40, width * 0.7, 200), fill="#b4141b")
    draw.rectangle((width * 0.33, 60, width * 0.67, 180), fill="#f3d9a4")
    draw.rectangle((80, 330, width - 80, 420), fill="#7a4a2a")
    for n in range(7):
        x = 130 + n * (width - 260) / 6
        for y, body in ((290, "#2e3a4f"), (460, "#39465e")):
            draw.ellipse((x - 22, y - 60, x + 22, y - 16), fill="#e8c4a0")
            draw.rectangle((x - 34, y - 16, x + 34, y + 40), fill=body)


def _building(draw, width, height):
    """An office building under a blue sky, columns and a flag."""
    draw.rectangle((0, 0, width, height), fill=SKY)
    draw.rectangle((0, height * 0.78, width, height), fill=GROUND)
    draw.rectangle((140, 180, width - 140, height * 0.78), fill="#eeeae2")
    draw.polygon([(120, 190), (width / 2, 110), (width - 120, 190)], fill="#d7d0c2")
    for n in range(8):
        x = 180 + n * (width - 360) / 7
        draw.rectangle((x - 12, 220, x + 12, height * 0.78), fill="#faf8f3")
    draw.line((width / 2, 40, width / 2, 112), fill="#555", width=4)
    draw.rectangle((width / 2, 40, width / 2 + 60, 80), fill="#de2910")


def _service_hall(draw, width, height):
    """A service hall: windows with staff behind them, citizens waiting."""
    draw.rectangle((0, 0, width, height), fill="#f4f1ea")
    draw.rectangle((0, 60, width, 110), fill="#1f5f99")
    draw.rectangle((40, 300, width - 40, 360), fill="#c8b28c")
    for n in range(5):
        x = 110 + n * (width - 220) / 4
        draw.rectangle((x - 60, 140, x + 60, 300), fill="#ffffff", outline="#9fb4c8", width=4)
        draw.ellipse((x - 20, 200, x + 20, 240), fill="#e8c4a0")
        draw.rectangle((x - 30, 240, x + 30, 300), fill="#2e3a4f")
    for n in range(6):
        x = 90 + n * 125
        draw.ellipse((x - 24, 400, x + 24, 448), fill="#e0b890")
        draw.rectangle((x - 36, 448, x + 36, height), fill=("#8c4a3a", "#3a6b4a", "#5a5a8a")[n % 3])


def _construction(draw, width, height):
    """A building site: a crane, a frame going up, the ground."""
    draw.rectangle((0, 0, width, height), fill=SKY)
    draw.rectangle((0, height * 0.8, width, height), fill="#b59a74")
    for floor in range(6):
        y = height * 0.8 - floor * 55
        draw.rectangle((300, y - 50, 620, y), outline="#6d6d6d", width=6)
    draw.line((170, height * 0.8, 170, 90), fill="#f2b705", width=14)
    draw.line((110, 100, 560, 100), fill="#f2b705", width=12)
    draw.line((500, 100, 500, 230), fill="#333", width=3)
    draw.rectangle((470, 230, 530, 260), fill="#777")


def _riverside(draw, width, height):
    """A riverside park: trees, a path, the river."""
    draw.rectangle((0, 0, width, height), fill=SKY)
    draw.rectangle((0, height * 0.55, width, height), fill="#8fbf6a")
    draw.polygon(
        [(0, height * 0.7), (width, height * 0.6), (width, height), (0, height)], fill="#4f8fc0"
    )
    for n in range(6):
        x = 80 + n * 130
        draw.rectangle((x - 8, height * 0.42, x + 8, height * 0.6), fill="#6b4a2a")
        draw.ellipse((x - 50, height * 0.25, x + 50, height * 0.47), fill="#2f7a3a")


SCENES = {
    "meeting": _meeting,
    "building": _building,
    "service_hall": _service_hall,
    "construction": _construction,
    "riverside": _riverside,
}


def draw_scene(scene, size=SIZE):
    image = Image.new("RGB", size)
    SCENES[scene](ImageDraw.Draw(image), *size)
    return image


def ensure_picture(slug, scene, caption):
    """The library's conforming 题图 of the demo item ``slug``, made once."""
    title = f"题图：{caption}"
    picture = GovImage.objects.filter(title=title).first()
    if picture is not None:
        return picture
    upload = io.BytesIO()
    draw_scene(scene).save(upload, "PNG")
    version = rules.make_conforming(upload, f"{slug}.png")
    picture = GovImage(title=title, caption=caption)
    picture.file.save(version.name, version.as_upload(), save=False)
    picture.save()
    return picture
