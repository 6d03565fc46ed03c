"""Image files for the tests, made with Pillow (and by hand where Pillow would refuse to)."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from govsite.images.models import GovImage

# A photo taken at 天安门 (39°54′27″N 116°23′28″E): what must never reach the public site.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (39.0, 54.0, 27.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (116.0, 23.0, 28.0),
}


def exif(orientation=None, gps=False):
    data = Image.Exif()
    data[ExifTags.Base.Make] = "GovCam"
    if orientation:
        data[ExifTags.Base.Orientation] = orientation
    if gps:
        data[ExifTags.IFD.GPSInfo] = GPS
    return data


def picture(width, height, mode="RGB"):
    """A picture with some structure: red top half, blue bottom half, a green band on the left."""
    image = Image.new(mode, (width, height), "red")
    image.paste("blue", (0, height // 2, width, height))
    image.paste("green", (0, 0, max(1, width // 10), height))
    return image


def encode(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg_bytes(width, height, **options):
    return encode(picture(width, height), "JPEG", quality=90, **options)


def png_bytes(width, height, mode="RGB"):
    return encode(picture(width, height, mode), "PNG")


def upload(data, name):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def bomb_png(width=10_000, height=10_000):
    """A PNG of a few KiB that declares ``width``×``height`` one-bit pixels, all black: decoded
    it would be 100 million pixels (hundreds of MB in RGB)."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def gif_js_polyglot():
    """A file that is a script to a browser and starts like a GIF to a sniffer."""
    return b"GIF89a/*\x01\x00\x00\x00\x00*/=1;alert(document.cookie);//" + b"\x00" * 32


def zip_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


def make_image(title="图片", caption="区政府办公室外景", width=400, height=300, **fields):
    """A stored conforming image, as an upload would leave it."""
    return GovImage.objects.create(
        title=title,
        caption=caption,
        file=SimpleUploadedFile(f"{title}.jpg", jpeg_bytes(width, height)),
        **fields,
    )


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
