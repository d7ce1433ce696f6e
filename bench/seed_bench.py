"""Benchmark of ``manage.py seed_demo`` (docs/demo.md has the figures).

For each size, a throw-away database is migrated (not timed), then ``seed_demo --members N``
runs in a child process; the script prints JSON with the wall-clock seconds and the child's
CPU seconds and peak resident memory per size, and the seconds per 1,000 members.

    .venv/bin/python bench/seed_bench.py                        # 1,000 / 10,000 / 100,000, SQLite
    .venv/bin/python bench/seed_bench.py --sizes 1000,5000
    .venv/bin/python bench/seed_bench.py --postgres             # also PostgreSQL (create + drop)

SQLite files go to a temporary LAMTHEO_VAR_DIR. For PostgreSQL a database
``lamtheo_bench_<pid>_<n>`` is created next to ``--postgres-url``'s and dropped afterwards.
Settings are the development ones (DEBUG on, as in ``make run``) unless the environment says
otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run ``manage.py <args>``; return (wall seconds, CPU seconds, peak RSS in MiB, stdout).
    CPU seconds (user + system of the child) hold steady on a busy machine where wall-clock
    time does not; they leave out the PostgreSQL server's own work."""
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out:
        child = subprocess.Popen(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        output = out.read()
    if child.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{output}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, output  # ru_maxrss is in KiB on Linux


def measure(members: int, env: dict[str, str]) -> dict[str, object]:
    run(["migrate", "--noinput", "-v0"], env)
    seconds, cpu, rss, output = run(["seed_demo", "--members", str(members), "-v2"], env)
    steps = {}
    for line in output.splitlines():  # "  step 10 took 12.3 s (CPU 11.8 s, peak … 300 MiB)"
        words = line.replace(",", " ").split()
        if words[:1] == ["step"] and "took" in words:
            steps[words[1]] = {
                "seconds": float(words[3]),
                "cpu_seconds": float(words[6]),
                "peak_rss_mib_after": float(words[-2]),
            }
    return {
        "members": members,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_rss_mib": round(rss),
        "seconds_per_1000_members": round(seconds / members * 1000, 3),
        "steps_by_order": steps,
        # The one unindented line before the accounts (it may be translated).
        "summary": next((x for x in output.splitlines() if x and not x[0].isspace()), ""),
    }


def sqlite(members: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="lamtheo-seed-") as var:
        env = {**os.environ, "LAMTHEO_VAR_DIR": var}
        env.pop("DATABASE_URL", None)
        return {"backend": "sqlite", **measure(members, env)}


def postgres(members: int, url: str) -> dict[str, object]:
    import psycopg

    name = f"lamtheo_bench_{os.getpid()}_{members}"
    base, _, _ = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            with tempfile.TemporaryDirectory(prefix="lamtheo-seed-") as var:
                env = {**os.environ, "LAMTHEO_VAR_DIR": var, "DATABASE_URL": f"{base}/{name}"}
                return {"backend": "postgresql", **measure(members, env)}
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a database to connect to for CREATE/DROP DATABASE",
    )
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    results = []
    for members in sizes:
        if not options.no_sqlite:
            results.append(sqlite(members))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr)
        if options.postgres:
            results.append(postgres(members, options.postgres_url))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr)
    report = {
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "debug": os.environ.get("DEBUG", "default (on)"),
        "results": results,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
