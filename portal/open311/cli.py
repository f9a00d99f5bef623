"""`flask --app portal open311-key create NAME | list | revoke NAME`."""
import click
from flask.cli import AppGroup

from portal.open311 import keys

open311_key = AppGroup("open311-key", help="Kunci API Open311 (POST requests).")


@open311_key.command("create")
@click.argument("name")
def create(name):
    """Buat kunci API; kunci hanya ditampilkan sekali ini."""
    try:
        _row, key = keys.create(name)
    except keys.KeyError_ as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"kunci untuk {name} (simpan sekarang, tidak akan ditampilkan lagi):")
    click.echo(key)


@open311_key.command("list")
def list_keys():
    """Daftar kunci (tanpa kuncinya)."""
    for row in keys.ApiKey.select().order_by(keys.ApiKey.name):
        state = f"dicabut {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "aktif"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "-"
        click.echo(f"{row.name:<30} {state:<20} terakhir dipakai {used}")


@open311_key.command("revoke")
@click.argument("name")
def revoke(name):
    """Cabut kunci."""
    if not keys.revoke(name):
        raise click.ClickException(f"tidak ada kunci aktif bernama {name!r}")
    click.echo(f"kunci {name} dicabut")
