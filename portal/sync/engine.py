"""One sync pass per connector: pull what changed, then push what is owed.

A pull reads from the stored cursor and saves the connector's new cursor
only when every item of the batch was applied; if anything fails half-way
the next pass fetches the same batch again, which is harmless because
applying is idempotent.
"""
import logging

from flask_babel import gettext as _

from portal.clock import utcnow
from portal.sync import config as sync_config, intake, outbox
from portal.sync.errors import AuthError, ConnectorError, RemoteRejected, TransientError
from portal.sync.models import SyncRun, SyncState

log = logging.getLogger("aduan.sync")


KEEP_RUNS = 500
RUN_COUNTERS = {"created": "created", "updated": "updated", "conflict": "conflicts"}


class NotActive(Exception):
    """The connector is not installed, not configured or switched off."""


class ItemsFailed(Exception):
    """Some fetched items could not be applied (the others were)."""


def _context(name: str, source) -> tuple[intake.Context, dict]:
    info = sync_config.installed().get(name)
    if info is None:
        raise NotActive(f"konektor {name!r} tidak terpasang")
    config = sync_config.resolve(info, source)
    if not config["active"]:
        missing = ", ".join(config["missing"])
        raise NotActive(f"konektor {name!r} tidak aktif" + (f" (kurang: {missing})" if missing else ""))
    ctx = intake.Context(channel=name, label=info.label, config=config,
                         upload_folder=source["UPLOAD_FOLDER"],
                         photo_max_side=int(source.get("PHOTO_MAX_SIDE", 1600)),
                         max_photos=int(source.get("MAX_PHOTOS", 3)),
                         photo_max_bytes=int(source.get("MAX_PHOTO_BYTES", 10 * 1024 * 1024)))
    return ctx, config


def state_of(name: str) -> SyncState:
    state, _created = SyncState.get_or_create(connector=name)
    return state


def pull(name: str, run: SyncRun, source=None, external_id: str | None = None) -> None:
    """Fetch and apply; counts go into `run`.  Raises ConnectorError on failure."""
    source = sync_config.current_settings() if source is None else source
    ctx, config = _context(name, source)
    state = state_of(name)
    state.last_pull_at = utcnow()
    state.save()
    result = sync_config.connector(name).fetch(config, state.cursor, external_id)
    if result is None:
        raise NotActive(f"konektor {name} tidak mengembalikan hasil tarikan")
    run.fetched += len(result.items)
    broken = []
    for item in result.items:
        try:
            outcome = intake.apply(ctx, item)
        except ConnectorError:
            raise  # the remote side failed (a photo download): retry the batch later
        except Exception as exc:
            # One item we cannot apply must not stop the others; the cursor
            # stays put so it is tried again, and the admin sees why.
            log.exception("%s item %s could not be applied", name, item.external_id)
            broken.append(f"{item.external_id}: {type(exc).__name__}: {exc}")
            continue
        counter = RUN_COUNTERS.get(outcome)
        if counter:
            setattr(run, counter, getattr(run, counter) + 1)
    if broken:
        raise ItemsFailed("item tidak dapat diterapkan: " + "; ".join(broken))
    if external_id is None and not getattr(result, "complete", True):
        # What was seen is applied, but the cursor stays: an item that slid
        # past us is older than the ones we saw and must be listed again.
        raise ItemsFailed(f"lintasan tidak lengkap (terlihat {result.note}); "
                          "diulang pada tarikan berikutnya")
    if external_id is None:
        state.cursor = result.cursor
    state.last_success_at, state.last_error = utcnow(), ""
    state.save()


def run_pass(name: str, source=None, *, push: bool = True,
             external_id: str | None = None) -> SyncRun:
    """Pull then push for one connector; the outcome is stored as a SyncRun."""
    source = sync_config.current_settings() if source is None else source
    run = SyncRun.create(connector=name)
    active = True
    try:
        pull(name, run, source, external_id)
    except NotActive as exc:
        active = False
        _failed(name, run, str(exc))
    except AuthError as exc:
        _failed(name, run, f"kredensial ditolak: {exc}")
    except (ConnectorError, ItemsFailed) as exc:
        _failed(name, run, str(exc))
    except Exception as exc:  # a plugin bug is reported, not fatal to the other connectors
        log.exception("pull of %s failed", name)
        _failed(name, run, f"{type(exc).__name__}: {exc}")
    if push and active:
        counts = outbox.deliver_due(name, source)
        run.pushed, run.failed = counts["done"], counts["retry"] + counts["dead"]
    run.finished_at = utcnow()
    run.save()
    _prune_runs(name)
    return run


def _prune_runs(name: str) -> None:
    """A pass a minute adds up: keep the recent history only."""
    keep = (SyncRun.select(SyncRun.id).where(SyncRun.connector == name)
            .order_by(SyncRun.id.desc()).limit(KEEP_RUNS))
    SyncRun.delete().where((SyncRun.connector == name) & SyncRun.id.not_in(keep)).execute()


def _failed(name: str, run: SyncRun, message: str) -> None:
    run.error = message[:2000]
    state = state_of(name)
    state.last_error, state.last_error_at = run.error, utcnow()
    state.save()
    log.warning("sync of %s failed: %s", name, message)


def due_for_pull(name: str, interval: float, now=None) -> bool:
    state = SyncState.get_or_none(SyncState.connector == name)
    if state is None or state.last_pull_at is None:
        return True
    return ((now or utcnow()) - state.last_pull_at).total_seconds() >= interval - 1


def stalled_since(name: str, interval: float, now=None, source=None):
    """When the last complete pass of `name` ended, if no pass has completed
    for SYNC_STALL_INTERVALS intervals since; None while sync keeps up.

    Why from completed passes, not from attempts: a stuck lock or a listing
    that never reads whole still "runs" every minute, yet brings nothing."""
    state = SyncState.get_or_none(SyncState.connector == name)
    first_run = (SyncRun.select(SyncRun.started_at).where(SyncRun.connector == name)
                 .order_by(SyncRun.id).first())
    since = (state.last_success_at if state and state.last_success_at
             else first_run.started_at if first_run else None)
    if since is None:
        return None
    allowed = float(interval) * int(sync_config.engine_setting("SYNC_STALL_INTERVALS", source))
    return since if ((now or utcnow()) - since).total_seconds() > allowed else None


def health(name: str, source=None, timeout: float | None = None):
    """Ask the connector whether its remote answers; never raises.

    `timeout` caps the connector's own per-request timeout, so a check from
    a web page never hangs on a dead remote."""
    from portal.sync.items import Health

    source = sync_config.current_settings() if source is None else source
    try:
        _ctx, config = _context(name, source)
    except NotActive as exc:
        return Health(False, str(exc))
    if timeout is not None:
        config = {**config, "timeout": min(float(config["timeout"]), float(timeout))}
    try:
        result = sync_config.connector(name).health(config)
    except AuthError as exc:
        return Health(False, _("Kredensial ditolak: %(detail)s", detail=exc.message))
    except TransientError as exc:
        return Health(False, _("Layanan tidak dapat dihubungi: %(detail)s", detail=exc.message))
    except RemoteRejected as exc:
        return Health(False, _("Permintaan ditolak layanan: %(detail)s", detail=str(exc)))
    except Exception as exc:
        return Health(False, f"{type(exc).__name__}: {exc}")
    return result or Health(False, _("Plugin tidak menjawab pemeriksaan kesehatan."))
