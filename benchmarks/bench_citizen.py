"""Citizen side: the tracking page and the photo pipeline."""
import io
import tempfile
from pathlib import Path

from PIL import Image

from benchmarks.harness import compare


def _app():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import make_test_app
    from portal import seed

    app = make_test_app(Path(tempfile.mkdtemp()))
    with app.app_context():
        seed.seed_demo()
    return app


def bench_tracking_page():
    """GET /lacak/<kode> with a 20-event timeline vs GET /healthz (one SELECT 1)."""
    from portal.complaints import service as complaints
    from portal.directory.models import Category

    app = _app()
    with app.app_context():
        complaint, _ = complaints.submit({"title": "Jalan rusak parah", "body": "x" * 400,
                                          "category": Category.get().id})
        for i in range(20):
            complaints.record(complaint, "catatan", "Operator", text=f"catatan {i}", public=True)
    client = app.test_client()
    url = f"/lacak/{complaint.display_code}"
    assert client.get(url).status_code == 200
    return compare("tracking page, 20 events", "GET /healthz",
                   lambda: client.get("/healthz"), lambda: client.get(url))


def bench_photo_pipeline():
    """store_photo on a 12 MP photo vs Pillow decoding and saving it as it is."""
    from portal.complaints.photos import store_photo

    buffer = io.BytesIO()
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    folder = Path(tempfile.mkdtemp())

    def plain_roundtrip():
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image.save(io.BytesIO(), "JPEG", quality=80)

    return compare("photo intake, 12 MP JPEG", "Pillow decode + save, no resize",
                   plain_roundtrip, lambda: store_photo(io.BytesIO(data), folder),
                   rounds=3, number=2,
                   note="re-encoding from pixels (EXIF gone), orientation, 1600 px: JPEG draft "
                        "decoding keeps it near a plain round trip of the full photo")
