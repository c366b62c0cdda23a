"""One hash of many briefings: the check that a speed change left every output as it was.

    python -m bench.fingerprint                  # md5 of the fast-path briefings' JSON
    python -m bench.fingerprint --out FILE       # and the JSON itself, one briefing a line

The briefings are those of the first 30 DUC 2002, 30 Multi-News dev and 10 DUC 2007 update
clusters on the fast path (no model), as `bench.speed` loads them. Run it before and after a
change that should not alter any output (`PYTHONPATH=old/src` for the code before): the same
hash means the same summaries, citations, quotes, facts, entities, timeline and ledger.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from bench.speed import load
from newsfuse.config import Settings
from newsfuse.pipeline import brief_articles

SETS = (("duc2002", 30), ("multinews-dev", 30), ("duc2007_update", 10))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fingerprint", description=__doc__)
    p.add_argument("--out", type=Path, help="also write the briefings' JSON here")
    args = p.parse_args(argv)
    settings = Settings().with_flags(models=False)
    briefings = [
        brief_articles(cluster, settings).to_json() for name, n in SETS for cluster in load(name, n)
    ]
    text = "\n".join(briefings)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(hashlib.md5(text.encode()).hexdigest())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
