"""Growth from 10k to 1M complaints on SQLite and PostgreSQL, and the
periodic passes at the largest size.

Each ratio is the p95 at the largest size divided by the p95 at the smallest
(target: at most 1.5); the 304 refresh is also held to 10 ms absolute.  The
database runs in a subprocess of benchmarks.growth (one database per process).

BENCH_SQLITE_SIZES / BENCH_PG_SIZES override the sizes (comma-separated);
BENCH_QUICK=1 runs a small smoke version.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Result

ROOT = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("BENCH_QUICK") == "1"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/aduan_bench"


def _sizes(variable: str, default: str) -> list[int]:
    return [int(s) for s in os.environ.get(variable, default).split(",") if s]


def _run(url: str, sizes: list[int], env_extra=None) -> list[dict]:
    folder = tempfile.mkdtemp(prefix="aduan-growth-")
    # Growth is about what the queries cost as the table grows: the pages the
    # web processes keep (an unchanged queue, a tracking page) would answer
    # the repeated requests without a query, so they are off here; the
    # throughput suite measures them.
    env = {**os.environ, "ADUAN_INSTANCE_PATH": folder, "ADUAN_LOG_LEVEL": "WARNING",
           "ADUAN_QUEUE_RENDER_CACHE": "0", "ADUAN_TRACKING_RENDER_CACHE": "0",
           "PYTHONPATH": str(ROOT), **(env_extra or {})}
    if QUICK:
        env.setdefault("BENCH_GROWTH_REQUESTS", "10")
    out = subprocess.run([sys.executable, "-m", "benchmarks.growth", url, *map(str, sizes)],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def _results(label: str, lines: list[dict]) -> list[Result]:
    p95 = {line["size"]: line["p95"] for line in lines if "p95" in line}
    fills = {line["size"]: line["fill_seconds"] for line in lines if "fill_seconds" in line}
    small, large = min(p95), max(p95)
    results = []
    for name in p95[large]:
        steps = ", ".join(f"{size:,}: {p95[size][name] * 1000:.1f} ms" for size in sorted(p95))
        results.append(Result(f"{name} at {large:,} ({label})", f"same at {small:,}",
                              p95[small][name], p95[large][name], note=f"p95 {steps}"))
    for line in lines:
        if "periodic" in line:
            for name, figures in line["periodic"].items():
                results.append(Result(f"{name} at {line['size']:,} ({label})", "-", 1,
                                      figures["seconds"], shown_ratio=0,
                                      note=f"{figures['queries']} queries, "
                                           f"{figures['items']} items"))
        if "plans" in line:
            plan_text = "\n".join(f"  {name}:\n" + "\n".join(f"    {row}" for row in rows)
                                  for name, rows in line["plans"].items())
            print(f"query plans at {line['size']:,} ({label}):\n{plan_text}", file=sys.stderr)
    total = sum(fills.values())
    if fills:
        results.append(Result(f"generator, {max(fills):,} complaints ({label})", "-", 1, total,
                              shown_ratio=0, note=f"filled in {total:.0f} s"))
    return results


def bench_growth_sqlite():
    folder = tempfile.mkdtemp(prefix="aduan-growth-db-")
    sizes = _sizes("BENCH_SQLITE_SIZES", "2000,10000" if QUICK else "10000,100000,1000000")
    return _results("SQLite", _run(f"sqlite:///{folder}/aduan.db", sizes))


def bench_growth_postgres():
    try:
        import psycopg2
    except ImportError:
        return []
    try:
        admin = psycopg2.connect(PG_ADMIN, connect_timeout=2)
    except psycopg2.OperationalError:
        print("PostgreSQL not reachable on 127.0.0.1:5432: growth on PostgreSQL skipped",
              file=sys.stderr)
        return []
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS aduan_bench")
        cursor.execute("CREATE DATABASE aduan_bench")
    try:
        sizes = _sizes("BENCH_PG_SIZES", "2000" if QUICK else "10000,100000")
        if len(sizes) == 1:
            sizes = [sizes[0] // 2, sizes[0]]
        return _results("PostgreSQL", _run(PG_BENCH, sizes))
    finally:
        with admin.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS aduan_bench WITH (FORCE)")
        admin.close()
