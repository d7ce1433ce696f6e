"""Run every benchmark of the project and keep their JSON output under bench/out/.

    .venv/bin/python bench/run_all.py            # the reference sizes (long: tens of minutes)
    .venv/bin/python bench/run_all.py --quick    # small sizes, to check the benches still run

Each bench measures its own baseline in the same run where one exists (datasketch for the
copy detector); the machines are noisy, so compare medians and ratios, not single timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"

REFERENCE = {
    "quality": ["quality_bench.py"],
    "seed": ["seed_bench.py", "--sizes", "1000,10000,100000"],
    "import": ["import_bench.py", "--rows", "5000"],
}
QUICK = {
    "quality": ["quality_bench.py", "--sections", "20000"],
    "seed": ["seed_bench.py", "--sizes", "300"],
    "import": ["import_bench.py", "--rows", "500"],
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("only", nargs="*", help="names of benches to run (quality, seed, import)")
    args = parser.parse_args()
    plan = QUICK if args.quick else REFERENCE
    OUT.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    failed = []
    for name, argv in plan.items():
        if args.only and name not in args.only:
            continue
        print(f"== {name}: {' '.join(argv)}", flush=True)
        result = subprocess.run(
            [sys.executable, str(BENCH / argv[0]), *argv[1:]],
            capture_output=True,
            text=True,
            check=False,
        )
        (OUT / f"{stamp}-{name}.json").write_text(result.stdout)
        print(result.stdout[-2000:], flush=True)
        if result.returncode != 0:
            failed.append(name)
            print(result.stderr[-2000:], file=sys.stderr)
    print("failed: " + ", ".join(failed) if failed else "all benchmarks ran")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
