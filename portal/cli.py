"""Flask CLI commands: `flask --app portal db upgrade`, `seed`, `create-user`,
`backup DEST`, `restore SRC`."""
import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from portal import schema, seed
from portal.accounts import users as accounts
from portal.complaints import workflow
from portal.db import database

db_cli = AppGroup("db", help="Skema basis data.")


@db_cli.command("upgrade")
def db_upgrade():
    """Terapkan migrasi yang belum dijalankan."""
    applied = schema.upgrade(database.obj)
    click.echo(f"migrasi diterapkan: {', '.join(applied)}" if applied else "skema sudah mutakhir")


@click.command("seed")
@with_appcontext
def seed_command():
    """Isi data demo Kota Serang (sekali saja)."""
    credentials = seed.seed_demo()
    if credentials is None:
        click.echo("data demo sudah ada; tidak ada yang diubah")
        return
    click.echo("Data demo dibuat. Akun staf demo (kata sandi hanya ditampilkan sekali ini):")
    for username, role, password in credentials:
        click.echo(f"  {username:<18} {role:<9} {password}")


@click.command("init-instance")
@with_appcontext
def init_instance():
    """Buat instance/config.py dengan SECRET_KEY acak bila belum ada."""
    config = Path(current_app.instance_path) / "config.py"
    if config.exists():
        click.echo(f"{config} sudah ada")
        return
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"SECRET_KEY = {secrets.token_hex(32)!r}\n")
    click.echo(f"{config} dibuat")


@click.command("vapid-keys")
def vapid_keys():
    """Cetak sepasang kunci VAPID untuk web push (salin ke instance/config.py)."""
    from portal.notifications.webpush import generate_keys

    public, private = generate_keys()
    click.echo(f"VAPID_PUBLIC_KEY = {public!r}\nVAPID_PRIVATE_KEY = {private!r}")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(workflow.STAFF_ROLES))
@click.option("--opd", "opd_code", help="Kode OPD (operator, pimpinan, kabid).")
@click.option("--bidang", "bidang_name", help="Nama bidang (kabid).")
@click.option("--full-name", default="")
@click.option("--email")
@click.option("--password-stdin", is_flag=True, help="Baca kata sandi dari stdin.")
def create_user(username, role, opd_code, bidang_name, full_name, email, password_stdin):
    """Buat akun staf."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Kata sandi", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(username, password, role, opd_code=opd_code,
                                    bidang_name=bidang_name, full_name=full_name, email=email)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"akun {user.username} ({user.role}) dibuat")


@click.command("backup")
@with_appcontext
@click.argument("dest", type=click.Path(file_okay=False))
def backup_command(dest):
    """Cadangkan basis data dan foto ke folder DEST (baru atau kosong)."""
    from portal import backup

    try:
        manifest = backup.backup(database.obj, current_app.config["UPLOAD_FOLDER"], dest)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"cadangan dibuat di {dest}: {sum(manifest['rows'].values())} baris dari "
               f"{len(manifest['tables'])} tabel, {manifest['photos']} foto")


@click.command("restore")
@with_appcontext
@click.argument("src", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Jangan tanya konfirmasi.")
def restore_command(src, yes):
    """Pulihkan basis data dan foto dari cadangan SRC (menggantikan isinya)."""
    from portal import backup

    if not yes:
        click.confirm("Semua data dan foto instance ini akan diganti isi cadangan. Lanjutkan?",
                      abort=True)
    try:
        backup.verify(src)
        schema.upgrade(database.obj)
        manifest = backup.restore(database.obj, current_app.config["UPLOAD_FOLDER"], src)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"dipulihkan dari {src}: {sum(manifest['rows'].values())} baris, "
               f"{manifest['photos']} foto")


def init_app(app):
    app.cli.add_command(db_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(init_instance)
    app.cli.add_command(create_user)
    app.cli.add_command(vapid_keys)

    from portal.deadlines.cli import hari_kerja

    app.cli.add_command(hari_kerja)
    from portal.open311.cli import open311_key
    from portal.statistics.cli import statistik_cli

    app.cli.add_command(open311_key)
    app.cli.add_command(statistik_cli)
    _init_sync_commands(app)


def _init_sync_commands(app):
    # The connector commands live with the sync engine.
    from portal.sync import cli as sync_cli

    sync_cli.init_app(app)
