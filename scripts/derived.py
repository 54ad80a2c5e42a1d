"""Write a derived data file, or check that it is current: the common end of the derivation
scripts whose output is a pure function of committed data (and the sentence model)."""

from __future__ import annotations

import argparse
import gzip
from collections.abc import Callable
from pathlib import Path


def write_or_check(out: Path, derive: Callable[[], str], description: str) -> int:
    """Parse ``--check``; derive the text; with ``--check`` return 1 if ``out`` differs (a
    ``.gz`` file is compared uncompressed), else write it (gzip without a timestamp, so the
    bytes repeat). Return the exit code."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args()
    text = derive()
    gz = out.suffix == ".gz"
    if args.check:
        if not out.exists():
            same = False
        else:
            data = out.read_bytes()
            same = (gzip.decompress(data) if gz else data).decode("utf-8") == text
        print("up to date" if same else f"{out} differs from a fresh derivation")
        return 0 if same else 1
    data = text.encode("utf-8")
    out.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    print(f"wrote {out}")
    return 0
