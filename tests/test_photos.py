import io

import pytest
from PIL import Image

from images import GPS_IFD, image_bytes, jpeg_with_gps
from portal.complaints.photos import PhotoRejected, store_photo


def stored_image(tmp_path, data, **kwargs):
    photo = store_photo(io.BytesIO(data), tmp_path, **kwargs)
    return photo, Image.open(tmp_path / photo.filename)


def test_exif_and_gps_are_stripped(tmp_path):
    data = jpeg_with_gps()
    assert GPS_IFD in Image.open(io.BytesIO(data)).getexif()
    photo, image = stored_image(tmp_path, data)
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert b"PhoneMaker" not in (tmp_path / photo.filename).read_bytes()


def test_orientation_is_applied_before_stripping(tmp_path):
    # Orientation 6 means "rotate 90°": a 400x200 sensor image is a portrait.
    photo, image = stored_image(tmp_path, jpeg_with_gps((400, 200), orientation=6))
    assert (image.width, image.height) == (200, 400) == (photo.width, photo.height)


def test_long_side_is_limited(tmp_path):
    photo, image = stored_image(tmp_path, image_bytes("PNG", (4000, 1000)), max_side=1600)
    assert (image.width, image.height) == (1600, 400)


def test_large_rotated_jpeg_is_decoded_small_and_upright(tmp_path):
    photo, image = stored_image(tmp_path, jpeg_with_gps((4000, 3000), orientation=6))
    assert (image.width, image.height) == (1200, 1600)


@pytest.mark.parametrize("fmt,mode", [("PNG", "RGBA"), ("WEBP", "RGB"), ("JPEG", "RGB")])
def test_accepted_formats_become_jpeg(tmp_path, fmt, mode):
    photo, image = stored_image(tmp_path, image_bytes(fmt, mode=mode))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert photo.filename.endswith(".jpg") and len(photo.filename) == 36


@pytest.mark.parametrize("data", [
    image_bytes("GIF"),
    image_bytes("BMP"),
    b"%PDF-1.4 not a photo",
    b"",
    image_bytes("PNG")[:60],  # truncated
])
def test_other_content_is_rejected_whatever_the_name(tmp_path, data):
    with pytest.raises(PhotoRejected):
        store_photo(io.BytesIO(data), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_decompression_bombs_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    with pytest.raises(PhotoRejected):
        store_photo(io.BytesIO(image_bytes("PNG", (150, 100))), tmp_path)
