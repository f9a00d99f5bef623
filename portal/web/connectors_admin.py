"""Admin page of the connectors: last sync, cursor, backlog, errors, dead
letters (with a retry button) and cross-channel duplicates to merge.
Plain forms with CSRF; no JavaScript needed."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from peewee import fn

from .. import auth
from ..models import Complaint
from ..rendering import render
from ..sync import config as sync_config
from ..sync import duplicates, outbox
from ..sync.models import DEAD, PENDING, DuplicateFlag, OutboxItem, SyncRun, SyncState

bp = Blueprint("connectors_admin", __name__, url_prefix="/staf/admin/konektor")
RECENT_RUNS = 10


def _counts(state: str) -> dict[str, int]:
    rows = (OutboxItem.select(OutboxItem.connector, fn.COUNT(OutboxItem.id).alias("n"))
            .where(OutboxItem.state == state).group_by(OutboxItem.connector))
    return {row.connector: row.n for row in rows}


@bp.get("/")
@auth.staff_required("admin")
def index():
    states = {s.connector: s for s in SyncState.select()}
    backlog, dead = _counts(PENDING), _counts(DEAD)
    connectors = []
    for name, info in sorted(sync_config.installed().items()):
        config = sync_config.resolve(info)
        connectors.append({
            "info": info, "config": config, "state": states.get(name),
            "backlog": backlog.get(name, 0), "dead": dead.get(name, 0),
            "settings": sync_config.public_view(info, config),
            "runs": list(SyncRun.select().where(SyncRun.connector == name)
                         .order_by(SyncRun.id.desc()).limit(RECENT_RUNS)),
        })
    dead_letters = list(OutboxItem.select(OutboxItem, Complaint).join(Complaint)
                        .where(OutboxItem.state == DEAD).order_by(OutboxItem.id.desc()))
    return render("admin/konektor.html", connectors=connectors, dead_letters=dead_letters,
                  flags=duplicates.open_flags())


@bp.post("/surat-mati/<int:item_id>/ulang")
@auth.staff_required("admin")
def retry(item_id):
    if outbox.retry_dead(item_id):
        from ..sync.tasks import deliver_due_task

        deliver_due_task()
        flash(_("Pengiriman dijadwalkan ulang."))
    else:
        flash(_("Item itu tidak lagi berstatus gagal."))
    return redirect(url_for(".index"), 303)


@bp.post("/<name>/sinkron")
@auth.staff_required("admin")
def sync_now(name):
    if name not in sync_config.active_connectors():
        abort(404)
    from ..sync.tasks import pull_task

    pull_task(name)
    flash(_("Sinkronisasi %(name)s dimulai.", name=name))
    return redirect(url_for(".index"), 303)


@bp.post("/duplikat/<int:flag_id>/gabung")
@auth.staff_required("admin")
def merge(flag_id):
    flag = DuplicateFlag.get_or_none(DuplicateFlag.id == flag_id)
    if flag is None or flag.state != "open":
        abort(404)
    try:
        keep_id = int(request.form.get("keep", ""))
        keep = duplicates.merge(flag, keep_id, auth.current_user())
    except ValueError:
        flash(_("Pilih laporan yang dipertahankan."))
    except duplicates.MergeRefused as exc:
        flash(str(exc))
    else:
        flash(_("Laporan digabung ke %(code)s.", code=keep.display_code))
    return redirect(url_for(".index"), 303)


@bp.post("/duplikat/<int:flag_id>/abaikan")
@auth.staff_required("admin")
def dismiss(flag_id):
    flag = DuplicateFlag.get_or_none(DuplicateFlag.id == flag_id)
    if flag is None or flag.state != "open":
        abort(404)
    duplicates.dismiss(flag, auth.current_user())
    flash(_("Ditandai bukan duplikat."))
    return redirect(url_for(".index"), 303)
