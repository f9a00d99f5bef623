"""`flask --app portal hari-kerja TANGGAL N`: the date N working days after TANGGAL."""
from datetime import date

import click

from portal.deadlines import workdays

MAX_DAYS = 1000


@click.command("hari-kerja", context_settings={"ignore_unknown_options": True})
@click.argument("tanggal")
@click.argument("n")
@click.pass_context
def hari_kerja(ctx, tanggal, n):
    """Tanggal N hari kerja setelah TANGGAL (YYYY-MM-DD), dengan hari libur nasional,
    cuti bersama dan hari libur yang ditetapkan admin."""
    try:
        start = date.fromisoformat(tanggal)
    except ValueError:
        click.echo(f"Tanggal tidak sah: {tanggal!r}. Tulis seperti 2026-03-17.", err=True)
        ctx.exit(2)
    try:
        days = int(n)
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_DAYS:
        click.echo(f"N harus bilangan bulat 0 sampai {MAX_DAYS}, bukan {n!r}.", err=True)
        ctx.exit(2)
    click.echo(workdays.current_calendar().add(start, days).isoformat())
