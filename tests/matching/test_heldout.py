"""The held-out sets stay as committed and out of reach of everything that tunes or runs the
product: only the quality benchmark, the script that split them and this test name their
folder."""

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "matching" / "data" / "heldout"
MAY_NAME = {
    Path("bench/bench_quality.py"),  # measures on them
    Path("bench/bench_api_quality.py"),  # measures on them through the API
    Path("scripts/split_phrase_set.py"),  # made the split, once
    Path("scripts/make_fresh_phrase_set.py"),  # made the second held-out set, once
    Path("tests/matching/test_heldout.py"),
}


def test_held_out_files_are_as_committed():
    sums = [line.split() for line in (HELDOUT / "SHA256SUMS").read_text().splitlines() if line]
    assert {name for _, name in sums} == {
        "skill_phrases.csv",
        "skill_phrases_second.csv",
        "job_titles.csv",
        "adverts.csv",
    }
    for digest, name in sums:
        assert hashlib.sha256((HELDOUT / name).read_bytes()).hexdigest() == digest, name


def test_no_code_but_the_benchmark_reads_them():
    readers = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        hidden = any(part.startswith(".") for part in rel.parts[:-1])
        if hidden or rel.parts[0] in {"node_modules", "var"} or path.is_dir():
            continue  # tools' folders (.venv, .git, caches), installed assets, runtime files
        code = {".py", ".sh", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".json"}
        if path.suffix not in code and path.name not in {"Makefile", "run", "Dockerfile"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if "heldout" in text and rel not in MAY_NAME:
            readers.append(str(rel))
    assert readers == []
