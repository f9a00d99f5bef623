"""The whole chain, driven by the notices alone, on a 360 px phone.

A real huey consumer delivers; the WhatsApp simulator records.  Each next
actor gets exactly one message per handoff, within 60 s, and its deep link
opens the complaint on the phone where the actor acts."""
import re
import statistics
import time

import pytest
from PIL import Image

import push_env
from push_env import count_to, wa_of, wait_for_message

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}


@pytest.fixture
def chain_env(app, demo, live_server, tmp_path):
    instance = tmp_path / "instance"
    sim = push_env.wa_sim.start(webhook_url=f"{live_server}/hooks/whatsapp",
                                app_secret=push_env.SECRET)
    settings = push_env.whatsapp_settings(sim, live_server)
    app.config.update(settings)
    push_env.write_instance_config(instance, settings)
    with app.app_context():
        push_env.staff_on_whatsapp()
    push_env.use_instance_queue(instance)
    log = open(tmp_path / "consumer.log", "wb")
    consumer = push_env.start_consumer(instance, log)
    yield sim, demo, tmp_path
    push_env.stop(consumer)
    log.close()
    sim.shutdown()


def phone(browser, live_server, username, password):
    context = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server}/staf/masuk")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/staf/antrean"))
    return context, page


def test_the_chain_runs_on_the_notices_alone(chain_env, live_server, browser, app):
    sim, demo, tmp_path = chain_env
    photo = tmp_path / "tambalan.jpg"
    Image.new("RGB", (320, 240), (90, 90, 90)).save(photo, "JPEG")
    pages = {}
    contexts = []
    for username in push_env.PHONES:
        context, page = phone(browser, live_server, username, demo[username])
        contexts.append(context)
        pages[username] = page
    latencies, seen = [], {username: 0 for username in push_env.PHONES}

    def handoff(act, to):
        """Do `act` (a handoff) and return the message `to` gets from it."""
        started = time.time()
        act()
        message = wait_for_message(sim, wa_of(to), seen[to])
        seen[to] += 1
        latencies.append(message["received_at"] - started)
        link = message["params"][2]
        assert link.startswith(f"{live_server}/staf/aduan/"), link
        return link

    def press(page, action, status):
        page.click(f"#aksi-{action} button[type=submit]")
        page.locator("#detail .status").filter(has_text=status).wait_for()

    citizen = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
    contexts.append(citizen.context)

    def submit():
        citizen.goto(f"{live_server}/lapor")
        citizen.fill("#judul", "Jalan berlubang di Jalan Ciceri")
        citizen.fill("#isi", "Ada lubang besar di depan Pasar Rau yang membahayakan pengendara.")
        citizen.select_option("#kategori", label="Jalan rusak")
        citizen.click("button[type=submit]")
        citizen.wait_for_url(re.compile(r"/lacak/[0-9A-Z]{5}-[0-9A-Z]{5}$"))

    link = handoff(submit, "admin")
    code = citizen.url.rsplit("/", 1)[1]
    assert link.endswith(f"/staf/aduan/{code}")

    def open_link(username, url):
        page = pages[username]
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # The notice's action is the one the page leads with.
        page.locator(".next-step a.button").click()
        return page

    admin = open_link("admin", link)
    link = handoff(lambda: press(admin, "teruskan", "Diteruskan ke OPD"), "operator.dpupr")
    operator = open_link("operator.dpupr", link)
    operator.fill("#laporkan-teks", "Mohon arahan, lokasi di depan Pasar Rau.")
    link = handoff(lambda: press(operator, "laporkan", "Dilaporkan ke pimpinan"),
                   "pimpinan.dpupr")
    pimpinan = open_link("pimpinan.dpupr", link)
    pimpinan.check("#aksi-disposisi >> text=Bidang Bina Marga")
    pimpinan.fill("#disposisi-teks", "Segera tangani, laporkan dengan foto.")
    link = handoff(lambda: press(pimpinan, "disposisi", "Didisposisikan"), "kabid.binamarga")
    kabid = open_link("kabid.binamarga", link)
    kabid.fill("#tindak_lanjut-teks", "Lubang sudah ditambal sepanjang 12 meter.")
    kabid.set_input_files("#tindak_lanjut-foto", str(photo))
    link = handoff(lambda: press(kabid, "tindak_lanjut", "Sedang ditindaklanjuti"),
                   "operator.dpupr")
    operator = open_link("operator.dpupr", link)
    press(operator, "publikasikan", "Selesai ditanggapi")

    assert len(latencies) == 5 and max(latencies) < 60, latencies
    # Exactly one message per handoff per person, also after the consumer's
    # minute sweep had its chance to send anything twice.
    time.sleep(1.5)
    assert {u: count_to(sim, wa_of(u)) for u in push_env.PHONES} == {
        "admin": 1, "operator.dpupr": 2, "pimpinan.dpupr": 1, "kabid.binamarga": 1}
    # The status webhooks came back and were recorded.
    with app.app_context():
        from portal.notifications.service import Notification

        rows = list(Notification.select().where(Notification.channel == "whatsapp"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
                r.provider_status != "delivered" for r in rows):
            time.sleep(0.1)
            rows = list(Notification.select().where(Notification.channel == "whatsapp"))
        assert {r.provider_status for r in rows} == {"delivered"}
    print(f"handoff → WhatsApp median {statistics.median(latencies) * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")
    for context in contexts:
        context.close()
