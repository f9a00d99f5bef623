"""`flask --app portal connectors` and `flask --app portal sync [NAME]`."""
import click
from flask.cli import with_appcontext

from portal.sync import config as sync_config, engine
from portal.sync.models import DEAD, PENDING, OutboxItem


@click.command("connectors")
@click.option("--no-health", is_flag=True, help="Jangan hubungi layanan jarak jauh.")
@with_appcontext
def connectors_command(no_health):
    """Daftar konektor terpasang: versi, aktif atau tidak, kesehatan."""
    installed = sync_config.installed()
    if not installed:
        click.echo("tidak ada konektor terpasang")
        return
    for name, info in sorted(installed.items()):
        config = sync_config.resolve(info)
        if config["active"]:
            state = "aktif"
        elif not config["configured"]:
            state = "belum dikonfigurasi"
        elif config["missing"]:
            state = "kurang: " + ", ".join(config["missing"])
        else:
            state = "dimatikan"
        line = f"{name:<12} {info.label:<16} {info.version:<12} {state}"
        if config["active"] and not no_health:
            health = engine.health(name)
            line += f"  kesehatan: {'OK' if health.ok else 'GAGAL'} {health.message}"
        click.echo(line)


@click.command("sync")
@click.argument("name", required=False)
@with_appcontext
def sync_command(name):
    """Tarik dan kirim sekarang untuk satu konektor (NAME) atau semua yang aktif."""
    active = sync_config.active_connectors()
    if name and name not in sync_config.installed():
        raise click.ClickException(f"konektor {name!r} tidak terpasang")
    names = [name] if name else sorted(active)
    if not names:
        click.echo("tidak ada konektor aktif; atur CONNECTORS di instance/config.py")
        return
    failed = False
    for each in names:
        run = engine.run_pass(each)
        backlog = OutboxItem.select().where((OutboxItem.connector == each)
                                            & (OutboxItem.state == PENDING)).count()
        dead = OutboxItem.select().where((OutboxItem.connector == each)
                                         & (OutboxItem.state == DEAD)).count()
        click.echo(f"{each}: diambil {run.fetched}, baru {run.created}, diperbarui {run.updated}, "
                   f"konflik {run.conflicts}, terkirim {run.pushed}, gagal kirim {run.failed}, "
                   f"antrean {backlog}, surat mati {dead}")
        if run.error:
            failed = True
            click.echo(f"{each}: GALAT {run.error}", err=True)
    if failed:
        raise SystemExit(1)


def init_app(app):
    app.cli.add_command(connectors_command)
    app.cli.add_command(sync_command)
