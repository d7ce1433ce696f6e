"""Benchmark of lamtheo.quality: near-copy detection (batch and incremental) and classification.

By default runs the two reference configurations and prints one JSON object:

* 100,000 sections through the full text path, with the datasketch MinHashLSH baseline;
* 1,000,000 sections fed as token-hash arrays, without the baseline.

    .venv/bin/python bench/quality_bench.py                 # both runs
    .venv/bin/python bench/quality_bench.py --sections 20000 # one run
    .venv/bin/python bench/quality_bench.py --sections 1000000 --no-baseline --seed 3

See bench/README_quality.md and docs/quality.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def run_isolated(**kwargs) -> dict:
    """Run one configuration in a fresh process, so peak-memory figures do not mix."""
    from lamtheo.quality.bench import in_fresh_process, run

    return in_fresh_process(run, **kwargs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sections", type=int, help="one run with N sections (default: 100k and 1M)")
    ap.add_argument("--no-baseline", action="store_true", help="skip datasketch MinHashLSH")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=0.6)
    ap.add_argument("--queries", type=int, default=1000, help="incremental checks to time")
    ap.add_argument("--text-path", choices=["auto", "yes", "no"], default="auto")
    args = ap.parse_args(argv)
    common = {
        "seed": args.seed,
        "threshold": args.threshold,
        "queries": args.queries,
        "text_path": args.text_path,
    }
    if args.sections:
        runs = [run_isolated(sections=args.sections, baseline=not args.no_baseline, **common)]
    else:
        runs = [
            run_isolated(sections=100_000, baseline=not args.no_baseline, **common),
            run_isolated(sections=1_000_000, baseline=False, **common),
        ]
    print(json.dumps({"runs": runs}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
