"""Photo intake: accept by content, re-encode, strip every byte of metadata.

Re-encoding from pixels is what removes EXIF (GPS included): nothing of the
original file is copied.  It also shrinks phone photos for slow connections.
"""
import io
import math
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from portal.complaints.storage import storage_for

# MPO is what many phones write for a JPEG (a JPEG with a second, small
# frame appended); its first frame is the photo.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
JPEG_QUALITY = 80


class PhotoRejected(ValueError):
    """The upload is not a photo we accept; the message is for the user."""


@dataclass
class StoredPhoto:
    filename: str
    width: int
    height: int
    size: int
    # Where the camera says it was taken (lat, lon), read before the EXIF is
    # dropped; used only when the citizen agrees, never stored with the photo.
    gps: tuple[float, float] | None = None


def store_photo(stream, folder: str | Path, max_side: int = 1600,
                max_pixels: int | None = None) -> StoredPhoto:
    """Decode `stream`, re-encode it as JPEG into `folder` under a random name.

    `max_pixels` (default: the MAX_PHOTO_PIXELS setting) is checked against
    the size in the file's header, before a single pixel is decoded: a small
    file can describe an image that takes gigabytes once decoded.
    """
    from flask_babel import gettext as _

    from portal import config

    max_pixels = max_pixels or int(config.get("MAX_PHOTO_PIXELS"))

    try:
        with warnings.catch_warnings():
            # Pillow only warns between 1x and 2x its pixel limit; a photo
            # that large is a decompression bomb to us.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as original:
                if original.format not in ACCEPTED_FORMATS:
                    raise PhotoRejected(_("Berkas harus berupa foto JPEG, PNG, atau WebP."))
                # Image.open only read the header: nothing is decoded yet.
                width, height = original.size
                if width * height > max_pixels:
                    raise PhotoRejected(_(
                        "Ukuran gambar %(width)d × %(height)d piksel terlalu besar; paling "
                        "besar %(mp)d megapiksel.", width=width, height=height,
                        mp=max_pixels // 1_000_000))
                # JPEG can decode at 1/2, 1/4 or 1/8 scale directly: a 12 MP
                # phone photo never needs to be decoded at full size.
                scale = min(1.0, max_side / max(original.size))
                original.draft("RGB", (math.ceil(original.width * scale),
                                       math.ceil(original.height * scale)))
                gps = read_gps(original)
                image = ImageOps.exif_transpose(original)
                image = _to_rgb(image)
                image.thumbnail((max_side, max_side), Image.LANCZOS, reducing_gap=3.0)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(_("Ukuran gambar terlalu besar.")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise PhotoRejected(_("Berkas harus berupa foto JPEG, PNG, atau WebP.")) from None

    filename = secrets.token_hex(16) + ".jpg"
    encoded = io.BytesIO()
    image.save(encoded, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    size = storage_for(folder).write(filename, encoded.getvalue())
    return StoredPhoto(filename, image.width, image.height, size, gps)


GPS_IFD = 0x8825


def read_gps(image: Image.Image) -> tuple[float, float] | None:
    """The EXIF GPS position of `image` as decimal degrees, or None."""
    try:
        tags = image.getexif().get_ifd(GPS_IFD)
        lat = _degrees(tags[2]) * (-1 if tags.get(1) == "S" else 1)
        lon = _degrees(tags[4]) * (-1 if tags.get(3) == "W" else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 6), round(lon, 6)


def _degrees(dms) -> float:
    degrees, minutes, seconds = (float(part) for part in dms)
    return degrees + minutes / 60 + seconds / 3600


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
