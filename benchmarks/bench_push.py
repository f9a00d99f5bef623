"""Handoff → WhatsApp: how long after a handoff commits the next actor's
phone message reaches the Graph API (the local simulator), through a real
huey consumer on SqliteHuey.  Reported: the median, against the 90th
percentile as the "baseline" column (the ratio shows the spread)."""
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Result

COMPLAINTS = 5  # five handoffs each: 25 samples


def bench_push_latency():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import io

    import push_env
    from conftest import make_test_app
    from portal import seed
    from portal.accounts.models import User
    from portal.complaints import service as complaints
    from portal.complaints.photos import store_photo
    from portal.directory.models import Bidang, Category, Opd
    from staff_helpers import photo_bytes

    root = Path(tempfile.mkdtemp())
    app = make_test_app(root)
    instance = root / "instance"
    sim = push_env.wa_sim.start()
    settings = push_env.whatsapp_settings(sim, "http://127.0.0.1:5000")
    app.config.update(settings)
    push_env.write_instance_config(instance, settings)
    push_env.use_instance_queue(instance)
    log = open(root / "consumer.log", "wb")
    consumer = push_env.start_consumer(instance, log)
    latencies = []
    try:
        with app.test_request_context():
            seed.seed_demo()
            push_env.staff_on_whatsapp()
            people = {u.username: u for u in User.select()}
            dpupr = Opd.get(Opd.code == "DPUPR")
            bina_marga = Bidang.get(Bidang.name == "Bidang Bina Marga")
            seen = {name: 0 for name in push_env.PHONES}

            def timed(to, step):
                started = time.time()
                step()
                message = push_env.wait_for_message(sim, push_env.wa_of(to), seen[to])
                seen[to] += 1
                latencies.append(message["received_at"] - started)

            def perform(complaint, action, username, **extra):
                actor = people[username]
                complaints.perform(complaint, action, role=actor.role, actor=username,
                                   actor_user=actor, text=f"{action} (bench)", **extra)

            for i in range(COMPLAINTS):
                made = []
                timed("admin", lambda: made.append(complaints.submit({
                    "title": f"Jalan rusak nomor {i}", "body": "Lubang besar di jalan. " * 3,
                    "category": Category.get(Category.name == "Jalan rusak")})[0]))
                c = made[0]
                timed("operator.dpupr", lambda: perform(c, "teruskan", "admin", opd=dpupr))
                timed("pimpinan.dpupr", lambda: perform(c, "laporkan", "operator.dpupr"))
                timed("kabid.binamarga", lambda: perform(c, "disposisi", "pimpinan.dpupr",
                                                         bidang=[bina_marga]))
                photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
                timed("operator.dpupr", lambda: perform(c, "tindak_lanjut", "kabid.binamarga",
                                                        photos=[photo]))
    finally:
        push_env.stop(consumer)
        log.close()
        sim.shutdown()
    ordered = sorted(latencies)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return Result(f"handoff → WhatsApp, median of {len(latencies)}", "p90", p90,
                  statistics.median(latencies),
                  note=f"max {max(latencies) * 1000:.0f} ms; consumer polls every 0.05-0.2 s")


if __name__ == "__main__":
    from benchmarks.harness import table

    result = bench_push_latency()
    print(table([result]))
    print(f"- {result.name}: {result.note}")
