"""Every tap target on the citizen pages and the main staff pages is at
least 44 × 44 CSS px at 360 × 640 (WCAG 2.5.5; the portal's own rule for
phones).

Exempt, as WCAG 2.5.8 allows for targets "in a sentence or block of text":
links inside the running text of a <p> or <li> only.  A checkbox or radio
button wrapped in its <label> is tapped through the label, so the label is
measured for it.
"""
import re

import pytest

from staff_helpers import new_complaint
from test_a11y_browser import published  # noqa: F401 (a complaint walked to 'selesai')

pytestmark = pytest.mark.browser

MIN = 44

MEASURE = """(min) => {
  const visible = (el) => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '')
    + ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"';
  const inText = (el) => el.tagName === 'A' && el.parentElement
    && ['P', 'LI'].includes(el.parentElement.tagName)
    && el.parentElement.textContent.trim() !== el.textContent.trim();
  const seen = new Set(), small = [];
  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, label');
  for (const el of targets) {
    let target = el;
    if (el.tagName === 'LABEL') {
      if (!el.querySelector('input, select, textarea')) continue;  // a label beside its field
    } else if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) {
      continue;  // measured as its label
    }
    if (!visible(target) || inText(target) || seen.has(target)) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      small.push(name(target) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
    }
  }
  return small;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _measure(page, base, path, problems):
    response = page.goto(base + path)
    assert response.status < 500, path
    small = page.evaluate(MEASURE, MIN)
    problems.extend(f"{path}: {item}" for item in small)


def test_citizen_pages(phone, live_server, published):
    problems = []
    for path in ["/", "/lapor", "/lacak", "/lacak?kode=salah", f"/lacak/{published}",
                 "/statistik", "/staf/masuk"]:
        _measure(phone, live_server, path, problems)
    assert not problems, "\n".join(problems)


def test_staff_pages(phone, live_server, demo, app, published):
    with app.app_context():
        code = new_complaint(title="Trotoar rusak di Jalan Veteran").display_code
    phone.goto(f"{live_server}/staf/masuk")
    phone.fill("#username", "admin")
    phone.fill("#password", demo["admin"])
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(r"/staf/antrean"))
    problems = []
    for path in ["/staf/antrean", f"/staf/aduan/{code}", f"/staf/aduan/{published}",
                 "/staf/notifikasi", "/staf/dasbor"]:
        _measure(phone, live_server, path, problems)
    assert not problems, "\n".join(problems)
