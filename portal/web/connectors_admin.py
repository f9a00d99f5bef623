"""Admin page of the connectors: last sync, cursor, backlog, errors, dead
letters (with a retry button), cross-channel duplicates to merge and a
"Periksa koneksi" button per connector.  Plain forms with CSRF; no
JavaScript needed (htmx, when present, swaps only the health cell)."""
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from peewee import fn

from portal.accounts import auth
from portal.complaints.models import Complaint
from portal.sync import choices, config as sync_config, duplicates, engine, outbox
from portal.sync.models import DEAD, PENDING, DuplicateFlag, OutboxItem, SyncRun, SyncState
from portal.web.forms import parse_id
from portal.web.rendering import htmx, render

bp = Blueprint("connectors_admin", __name__, url_prefix="/staf/admin/konektor")
RECENT_RUNS = 10


def _counts(state: str) -> dict[str, int]:
    rows = (OutboxItem.select(OutboxItem.connector, fn.COUNT(OutboxItem.id).alias("n"))
            .where(OutboxItem.state == state).group_by(OutboxItem.connector))
    return {row.connector: row.n for row in rows}


@bp.get("/")
@auth.staff_required("admin")
def index():
    return _page()


def _page(health: dict | None = None):
    """The page; `health` holds the results of checks just made, by connector."""
    health = health or {}
    states = {s.connector: s for s in SyncState.select()}
    backlog, dead = _counts(PENDING), _counts(DEAD)
    connectors = []
    for name, info in sorted(sync_config.installed().items()):
        config = sync_config.resolve(info)
        connectors.append({
            "info": info, "config": config, "state": states.get(name),
            "backlog": backlog.get(name, 0), "dead": dead.get(name, 0),
            "settings": sync_config.public_view(info, config),
            "health": health.get(name),
            "choices": {key: (spec.help or key, config.get(key))
                        for key, spec in choices.admin_keys(name).items()},
            "stalled_since": (engine.stalled_since(name, float(config["interval"]))
                              if config["active"] else None),
            "runs": list(SyncRun.select().where(SyncRun.connector == name)
                         .order_by(SyncRun.id.desc()).limit(RECENT_RUNS)),
        })
    dead_letters = list(OutboxItem.select(OutboxItem, Complaint).join(Complaint)
                        .where(OutboxItem.state == DEAD).order_by(OutboxItem.id.desc()))
    groups, next_before = duplicates.open_flags(before=_before())
    return render("admin/konektor.html", connectors=connectors, dead_letters=dead_letters,
                  groups=groups, next_before=next_before)


def _before() -> int | None:
    """The duplicates page cursor (?duplikat_sebelum=<id>); anything else is page one."""
    value = request.args.get("duplikat_sebelum", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@bp.post("/surat-mati/<int:item_id>/ulang")
@auth.staff_required("admin")
def retry(item_id):
    if outbox.retry_dead(item_id):
        from portal.sync.tasks import deliver_due_task

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
    from portal.sync.tasks import pull_task

    pull_task(name)
    flash(_("Sinkronisasi %(name)s dimulai.", name=name))
    return redirect(url_for(".index"), 303)


@bp.post("/<name>/kesehatan")
@auth.staff_required("admin")
def check_health(name):
    """Ask the remote now, with a short timeout so a dead remote never hangs
    the page.  With htmx only this connector's health cell is answered."""
    info = sync_config.installed().get(name)
    if info is None:
        abort(404)
    result = engine.health(name, timeout=float(sync_config.engine_setting("SYNC_HEALTH_TIMEOUT")))
    if not htmx or htmx.boosted:
        return _page({name: result})
    cell = render_template("admin/_konektor_kesehatan.html", c={
        "info": info, "config": sync_config.resolve(info), "health": result})
    response = make_response(cell)
    response.vary.add("HX-Request")
    return response


@bp.route("/<name>/pilihan", methods=["GET", "POST"])
@auth.staff_required("admin")
def choose(name):
    """Settings the admin picks from the remote's own list (SP4N's template
    code per kind of follow-up)."""
    keys = choices.admin_keys(name)
    if not keys:
        abort(404)
    info = sync_config.installed()[name]
    refused, error, available = [], None, {}
    if request.method == "POST":
        try:
            refused = choices.save(name, request.form, auth.current_user())
        except choices.ChoicesUnavailable as exc:
            refused = [str(exc)]
        if not refused:
            flash(_("Pilihan %(label)s disimpan.", label=info.label))
            return redirect(url_for(".index"), 303)
    try:
        available = choices.options(name)
    except choices.ChoicesUnavailable as exc:
        error = str(exc)
    config = sync_config.resolve(info)
    fields = [{"key": key, "label": spec.help or key, "value": config.get(key) or "",
               "options": available.get(key, [])} for key, spec in keys.items()]
    status = 422 if refused else 200
    return render("admin/konektor_pilihan.html", info=info, fields=fields, error=error,
                  refused=refused, status=status)


def _open_flag(flag_id):
    """A flag an admin may still act on; a settled or unknown one is a 404."""
    flag = DuplicateFlag.get_or_none(DuplicateFlag.id == flag_id)
    if flag is None or flag.state != "open":
        abort(404)
    return flag


@bp.post("/duplikat/<int:flag_id>/gabung")
@auth.staff_required("admin")
def merge(flag_id):
    flag = _open_flag(flag_id)
    try:
        keep_id = parse_id(request.form.get("keep", ""))
        if keep_id is None:
            raise ValueError("keep")
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
    flag = _open_flag(flag_id)
    duplicates.dismiss(flag, auth.current_user())
    flash(_("Ditandai bukan duplikat."))
    return redirect(url_for(".index"), 303)
