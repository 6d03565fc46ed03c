"""The letter form's captcha (R-MAIL-1 spam protection), self-contained for a closed network.

A challenge is a small sum ("23 + 7 = ?") drawn as a PNG with Pillow's built-in font, jittered
characters and noise; nothing is fetched from elsewhere. The question and its answer live in
the visitor's session only (never in the page), each challenge answers once — right or wrong,
it is gone after one try — and expires after ``MAX_AGE_SECONDS``. A new challenge replaces the
old one, which is how the visitor gets a more legible image.

``answer_for(session)`` reads the current answer: the tests use it, a visitor never can.
"""

import io
import math
import secrets
import time
import unicodedata

from PIL import Image, ImageDraw, ImageFont

SESSION_KEY = "govsite.mailbox.captcha"
MAX_AGE_SECONDS = 30 * 60  # a long letter takes a while to write

WIDTH, HEIGHT = 200, 60
FONT_SIZE = 34
INK = [(30, 60, 120), (120, 30, 40), (20, 90, 50), (70, 40, 110)]
NOISE = [(150, 170, 200), (200, 160, 160), (160, 190, 160), (180, 170, 200)]


class CaptchaError(ValueError):
    """A wrong, missing, used or expired answer; the message is for the visitor."""


MISSING = "请填写验证码。"
EXPIRED = "验证码已失效（每个验证码只能使用一次，30 分钟内有效），请按新图片重新填写。"
WRONG = "验证码不正确，请按新图片重新计算填写。"


def _new_question():
    first = 10 + secrets.randbelow(40)
    second = 1 + secrets.randbelow(9)
    if secrets.randbelow(2):
        return f"{first} + {second} = ?", str(first + second)
    return f"{first} - {second} = ?", str(first - second)


def issue(session):
    """A fresh challenge for this session, replacing any earlier one; returns its id (used to
    keep browsers from showing a cached image)."""
    question, answer = _new_question()
    challenge = {"q": question, "a": answer, "t": int(time.time()), "id": secrets.token_hex(4)}
    session[SESSION_KEY] = challenge
    return challenge["id"]


def current(session):
    """The session's live challenge, or None."""
    challenge = session.get(SESSION_KEY)
    if not challenge or time.time() - challenge["t"] > MAX_AGE_SECONDS:
        return None
    return challenge


def answer_for(session):
    """The answer to the session's current challenge (for tests), or None."""
    challenge = current(session)
    return challenge["a"] if challenge else None


def normalise(answer):
    """Full-width digits and stray spaces from a Chinese input method are accepted."""
    return unicodedata.normalize("NFKC", answer or "").strip().replace(" ", "")


def verify(session, answer):
    """Check ``answer`` against the session's challenge and use the challenge up either way.
    Raises ``CaptchaError`` with the reason."""
    challenge = current(session)
    session.pop(SESSION_KEY, None)
    answer = normalise(answer)
    if not answer:
        raise CaptchaError(MISSING)
    if challenge is None:
        raise CaptchaError(EXPIRED)
    if not secrets.compare_digest(answer.encode(), challenge["a"].encode()):
        raise CaptchaError(WRONG)


def render_png(question):
    """The question drawn as a PNG: characters at random heights and angles, lines and dots."""
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 244, 236))
    draw = ImageDraw.Draw(image)
    for _ in range(120):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        draw.point((x, y), fill=tuple(rng.randrange(120, 220) for _ in range(3)))
    font = ImageFont.load_default(size=FONT_SIZE)
    x = 10
    for char in question:
        if char == " ":
            x += 6
            continue
        left, top, right, bottom = font.getbbox(char)
        glyph = Image.new("RGBA", (right + 8, bottom + 8), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 4), char, font=font, fill=rng.choice(INK))
        glyph = glyph.rotate(rng.uniform(-22, 22), resample=Image.Resampling.BICUBIC, expand=True)
        y = (HEIGHT - glyph.height) // 2 + rng.randint(-5, 5)
        image.paste(glyph, (x, y), glyph)
        x += right - left + 6
    # Noise lighter than the ink: in the way of a machine, not of an older reader.
    for _ in range(3):
        start = (rng.randrange(WIDTH // 3), rng.randrange(HEIGHT))
        end = (rng.randrange(2 * WIDTH // 3, WIDTH), rng.randrange(HEIGHT))
        draw.line([start, end], fill=rng.choice(NOISE), width=1)
    phase, amplitude = rng.uniform(0, math.pi), rng.uniform(3, 7)
    draw.line(
        [(px, HEIGHT / 2 + amplitude * math.sin(px / 14 + phase)) for px in range(0, WIDTH, 4)],
        fill=rng.choice(NOISE),
        width=2,
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
