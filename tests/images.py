"""Real image files for tests, made with Pillow."""
import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(400, 200), orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "S", 2: (6.0, 7.0, 12.0), 3: "E", 4: (106.0, 9.0, 0.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def image_bytes(fmt="PNG", size=(300, 300), mode="RGB") -> bytes:
    color = (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200)
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def mpo_bytes(size=(640, 480)) -> bytes:
    """A phone-style MPO: a JPEG with a second, smaller frame appended."""
    first = Image.new("RGB", size, (200, 30, 30))
    second = Image.new("RGB", (size[0] // 4, size[1] // 4), (0, 0, 0))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    return out.getvalue()


def pixel_bomb_png(size=(89_000, 1_000)) -> bytes:
    """A tiny file (about 13 KB) that decodes to `size`: one bit per pixel, all equal."""
    out = io.BytesIO()
    Image.new("1", size, 1).save(out, "PNG")
    return out.getvalue()
