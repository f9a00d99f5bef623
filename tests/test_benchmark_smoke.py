"""The benchmark suite's generator still starts and fills an instance.

Why: `make bench` is not part of `make test`, and once stopped at its first
instance without anyone noticing (the app began refusing its short secret
key).  This runs the generator as `make bench` does, in a process of its own.
"""
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.once


def test_the_generator_fills_a_fresh_instance(tmp_path):
    db = tmp_path / "bench.db"
    out = subprocess.run([sys.executable, "-m", "benchmarks.datagen", f"sqlite:///{db}", "300"],
                         cwd=ROOT, env={"PATH": "/usr/bin:/bin", "ADUAN_INSTANCE_PATH": str(tmp_path)},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "300 complaints" in out.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM complaint").fetchone()[0] >= 300
        # The triggers fired: the search index and the tally know the rows.
        assert conn.execute("SELECT SUM(n) FROM complaint_tally").fetchone()[0] >= 300
