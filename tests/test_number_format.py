"""Numbers on pages follow the reader's language (Babel): 1.234 and 85,3 % in
Indonesian, 1,234 and 85.3% in English; years stay as they are."""
import re

import pytest

from conftest import hidden_fields
from portal.statistics import figures
from portal.workspace import queue as queues


@pytest.fixture
def many(monkeypatch):
    # 1,234 received, 1,000 forwarded, 853 followed up: 85.3 %.
    big = figures.Figures(year=2026, years=[2026], received=1234, forwarded=1000,
                          followed_up=853, overdue=1500, by_opd=[("Dinas Uji", 1234)])
    monkeypatch.setattr(figures, "compute", lambda year=None: big)


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang,count,share,overdue", [
    ("id", "1.234", "85,3 %", "1.500"), ("en", "1,234", "85.3%", "1,500")])
def test_statistics_in_each_language(client, demo, many, lang, count, share, overdue):
    html = client.get(f"/statistik?tahun=2026&lang={lang}").get_data(as_text=True)
    text = _text(html)
    assert count in text and share in text and overdue in text
    assert "2026" in text and "2.026" not in text and "2,026" not in text
    assert "1234" not in text


@pytest.mark.parametrize("lang,count", [("id", "1.234"), ("en", "1,234")])
def test_queue_counts_in_each_language(client, demo, monkeypatch, lang, count):
    monkeypatch.setattr(queues, "status_counts", lambda user, filters: {"baru": 1234})
    page = client.get("/staf/masuk").get_data(as_text=True)
    client.post("/staf/masuk", data={"username": "admin", "password": demo["admin"],
                                     **hidden_fields(page)})
    html = client.get(f"/staf/antrean?lang={lang}").get_data(as_text=True)
    assert f"<b>{count}</b>" in html
