"""Limits: body size (declared and chunked), pixel count before decoding,
phone MPO photos, and no photo file left behind by a failed submission."""
import io
import json
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageFile

from conftest import hidden_fields
from connector_env import WEBHOOK_SECRET, configure, rabeg_sim  # noqa: F401
from images import image_bytes, mpo_bytes, pixel_bomb_png
from portal.complaints.models import Attachment, Complaint
from portal.complaints.photos import PhotoRejected, store_photo
from test_citizen import form_data

# --- Body size ---------------------------------------------------------------

def test_the_default_body_limit_applies_and_answers_413_in_indonesian(client, demo, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == app.config["MAX_PHOTOS"] * app.config["MAX_PHOTO_BYTES"] + 1024 * 1024
    data = form_data(client)
    data["foto"] = [(io.BytesIO(b"\0" * (limit + 1)), "besar.jpg")]
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "terlalu besar" in response.text and "Traceback" not in response.text
    assert Complaint.select().count() == 0


class CountingInput:
    """Counts the body bytes the application actually reads."""

    def __init__(self, app):
        self.app, self.read = app, 0

    def __call__(self, environ, start_response):
        stream, counter = environ["wsgi.input"], self

        class Counted:
            def read(self, *args):
                data = stream.read(*args)
                counter.read += len(data)
                return data

            def readline(self, *args):
                data = stream.readline(*args)
                counter.read += len(data)
                return data

            def __getattr__(self, name):
                return getattr(stream, name)

        environ["wsgi.input"] = Counted()
        return self.app(environ, start_response)


def chunked_post(base_url: str, path: str, headers: dict, first: bytes, total: int,
                 chunk: int = 64 * 1024) -> tuple[int, bytes, int]:
    """POST with Transfer-Encoding: chunked (no Content-Length) over a raw
    socket: `first`, then zeros up to `total` bytes, stopping as soon as the
    server answers.  Returns (status, response body, bytes sent)."""
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    sock = socket.create_connection((host, port), timeout=10)
    head = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Transfer-Encoding: chunked",
            "Connection: close", *(f"{k}: {v}" for k, v in headers.items())]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    sent, payload = 0, first
    try:
        while sent < total:
            piece = payload or b"\0" * min(chunk, total - sent)
            payload = b""
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
            sock.settimeout(0.001)
            try:
                if sock.recv(1, socket.MSG_PEEK):
                    break  # the server answered before the body ended
            except (TimeoutError, BlockingIOError):
                pass
            finally:
                sock.settimeout(10)
        else:
            sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading and closed: what we want
    answer = b""
    try:
        while chunk_ := sock.recv(65536):
            answer += chunk_
            head, _, body = answer.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            if length and len(body) >= int(length.group(1)):
                break  # the whole answer is in; the server may keep the socket open
    except (TimeoutError, ConnectionResetError):
        pass
    sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer.partition(b"\r\n\r\n")[2], sent


def test_a_chunked_form_is_cut_off_at_the_limit_before_it_is_buffered(app, demo, live_server):
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    app.wsgi_app = counter = CountingInput(app.wsgi_app)
    with app.test_client() as client, app.app_context():
        tokens = hidden_fields(client.get("/lapor").text)
    boundary = "aduanbatas"
    first = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                    for k, v in tokens.items()).encode()
    first += (f'--{boundary}\r\nContent-Disposition: form-data; name="foto"; '
              f'filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n').encode()
    status, body, sent = chunked_post(
        live_server, "/lapor", {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        first, total=8 * 1024 * 1024)
    assert status == 413
    assert "terlalu besar" in body.decode("utf-8", "replace")
    # The application stopped reading at the limit, whatever the client sent.
    assert counter.read <= 256 * 1024 + 64 * 1024
    with app.app_context():
        assert Complaint.select().count() == 0


def test_a_chunked_webhook_is_cut_off_at_its_small_limit(app, demo, live_server,
                                                         rabeg_sim):  # noqa: F811
    configure(app, rabeg=rabeg_sim)
    limit = int(app.config.get("WEBHOOK_MAX_BYTES", 256 * 1024))
    app.wsgi_app = counter = CountingInput(app.wsgi_app)
    status, body, _sent = chunked_post(live_server, "/hooks/rabeg",
                                       {"Content-Type": "application/json"},
                                       b'{"event": "report.created", "id": ', 4 * 1024 * 1024)
    assert status == 413
    assert json.loads(body)["error"]
    assert counter.read <= limit + 64 * 1024


# --- Pixels and formats -------------------------------------------------------

def test_a_pixel_bomb_is_refused_from_its_header_without_decoding(tmp_path, monkeypatch):
    data = pixel_bomb_png()  # 89,000 x 1,000: under Pillow's own bomb limit
    assert len(data) < 100_000
    assert 89_000 * 1_000 < Image.MAX_IMAGE_PIXELS

    def no_decoding(self):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(PhotoRejected, match="89000 × 1000 piksel terlalu besar"):
        store_photo(io.BytesIO(data), tmp_path, max_pixels=24_000_000)
    assert list(tmp_path.iterdir()) == []


def test_a_16_megapixel_phone_photo_fits_the_default_limit(tmp_path, app):
    out = io.BytesIO()
    Image.new("RGB", (4608, 3456), (90, 140, 60)).save(out, "JPEG", quality=60)
    with app.app_context():
        photo = store_photo(io.BytesIO(out.getvalue()), tmp_path)
    assert max(photo.width, photo.height) == 1600


def test_a_phone_mpo_photo_is_accepted_as_its_first_frame(tmp_path):
    data = mpo_bytes((640, 480))
    assert Image.open(io.BytesIO(data)).format == "MPO"
    photo = store_photo(io.BytesIO(data), tmp_path)
    stored = Image.open(tmp_path / photo.filename)
    assert stored.format == "JPEG" and stored.size == (640, 480)
    assert getattr(stored, "n_frames", 1) == 1


def uploads(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(folder.iterdir()) if folder.exists() else []


def test_lapor_takes_an_mpo_and_refuses_a_pixel_bomb_in_indonesian(client, demo, app):
    data = form_data(client)
    data["foto"] = [(io.BytesIO(mpo_bytes()), "IMG_20260101.jpg")]
    assert client.post("/lapor", data=data, content_type="multipart/form-data").status_code == 303
    assert Attachment.select().count() == 1

    data = form_data(client, judul="Foto besar sekali")
    data["foto"] = [(io.BytesIO(image_bytes("PNG", (200, 200))), "kecil.png"),
                    (io.BytesIO(pixel_bomb_png()), "bom.png")]
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "bom.png" in response.text and "megapiksel" in response.text
    assert Complaint.select().count() == 1 and len(uploads(app)) == 1  # the first photo's only


def test_a_failed_submission_leaves_no_photo_file(client, demo, app, monkeypatch):
    from peewee import OperationalError

    from portal.complaints import service

    def fails(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(service, "submit", fails)
    data = form_data(client)
    data["foto"] = [(io.BytesIO(image_bytes("PNG")), "a.png"),
                    (io.BytesIO(image_bytes("JPEG")), "b.jpg")]
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    # A passing database condition is a clean 503 that says to retry, not a 500.
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "Isian Anda tidak hilang" in response.text and "Traceback" not in response.text
    assert uploads(app) == []
