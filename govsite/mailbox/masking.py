"""Personal data masked before a letter is published (R-MAIL-5): the writer's name, mobile
and landline numbers, ID card numbers, e-mail addresses and street addresses."""

import re

ID_CARD = re.compile(
    r"(?<![0-9])([1-9][0-9]{5})(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{2}[0-9]{3}([0-9Xx])(?![0-9])"
)
MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")
LANDLINE = re.compile(r"(?<![0-9])(0[0-9]{2,3})[-－ ]?[0-9]{7,8}(?![0-9])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# An address: a road, street, lane or village followed by a house number, or a 小区 / 栋 / 单元
# / 室 designation; kept is the part before the road's name.
ADDRESS = re.compile(
    r"[\u4e00-\u9fa5]{1,12}(?:路|街|大道|巷|弄|村|小区|花园|苑)[0-9一二三四五六七八九十百零〇]+"
    r"(?:号|弄|组|幢|栋)(?:[0-9一二三四五六七八九十]+(?:幢|栋|单元|号楼|楼|室|号))*"
)


def mask_name(name):
    """张三 → 张*, 欧阳明华 → 欧***: the first character, then one star per character."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask(text, names=()):
    """``text`` with personal data replaced by stars; ``names`` are masked wherever they are."""
    text = text or ""
    text = ID_CARD.sub(lambda m: f"{m.group(1)}********{'*' * 3}{m.group(2)}", text)
    text = MOBILE.sub(r"\1****\2", text)
    text = LANDLINE.sub(lambda m: f"{m.group(1)}-********", text)
    text = EMAIL.sub("***@***", text)
    text = ADDRESS.sub("***", text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text
