"""`flask --app portal statistik rebuild`: derive every figure again, e.g.
after the first deployment or a change of the working-day calendar."""
import click
from flask.cli import AppGroup

from portal.statistics import facts

statistik_cli = AppGroup("statistik", help="Statistik publik.")


@statistik_cli.command("rebuild")
def rebuild():
    """Hitung ulang semua angka statistik dari riwayat aduan."""
    count = facts.rebuild_all()
    click.echo(f"statistik dihitung ulang dari {count} aduan")
