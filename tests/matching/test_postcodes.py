"""Tests for matching.postcodes (plain pytest: no Django, no database).

Real-data tests share one index built once per session in $JOBMATCH_CACHE_DIR, or
var/cache under the repository root (a first build takes a few seconds; later runs
reuse it). Cache-handling tests use a tiny fake data source in a tmp dir instead.
"""

from __future__ import annotations

import math
import os
import pickle
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from matching import postcodes
from matching.postcodes import (
    Location,
    PostcodeError,
    PostcodeIndex,
    index_path,
    load_index,
    normalise_postcode,
    open_index,
)

ROOT = Path(__file__).resolve().parents[2]
BARNSLEY = "E08000038"


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    return Path(os.environ.get("JOBMATCH_CACHE_DIR") or ROOT / "var" / "cache")


@pytest.fixture(scope="session")
def index(cache_dir: Path) -> PostcodeIndex:
    return load_index(cache_dir)


# --- normalisation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("s702ta", "S70 2TA"),
        (" S70 2TA ", "S70 2TA"),
        ("s70  2ta", "S70 2TA"),
        ("S70\t2TA\n", "S70 2TA"),
        ("S70\u00a02TA", "S70 2TA"),  # non-breaking space, as pasted from web pages
        ("s 7 0 2 t a", "S70 2TA"),
        ("b11aa", "B1 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("w1a 0ax", "W1A 0AX"),
        ("ec1a1bb", "EC1A 1BB"),
        ("AB113AG", "AB11 3AG"),
        ("npt0ad", "NPT 0AD"),
        ("GIR0AA", "GIR 0AA"),
        ("bt11aa", "BT1 1AA"),  # well formed; refused only by lookup
    ],
)
def test_normalise_postcode(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "S70",
        "2TA",
        "S70 2T",
        "S70 2TAA",
        "70 2TA",
        "S70-2TA",
        "hello",
        "S70 2TÀ",
        "S70 2TA 1",
        "1S70 2TA",
        "ABC 1DE",
    ],
)
def test_malformed_text_is_refused(text: str) -> None:
    with pytest.raises(PostcodeError) as caught:
        normalise_postcode(text)
    assert caught.value.code == "malformed"
    assert isinstance(caught.value, ValueError)
    assert "for example S70 2TA" in str(caught.value)


def test_non_text_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        normalise_postcode(None)  # type: ignore[arg-type]


def test_postcode_error_pickles() -> None:
    error = PostcodeError("unknown", "We cannot find it.", "S70 2TA")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, str(copy), copy.postcode) == ("unknown", "We cannot find it.", "S70 2TA")


# --- real ONSPD data -----------------------------------------------------------------


def test_barnsley_town_centre_postcode(index: PostcodeIndex) -> None:
    # S70 2TA: Barnsley town hall area, as the November 2025 ONSPD places it.
    assert index.lookup("s70 2ta") == Location("S70 2TA", 434367, 406524, BARNSLEY)
    assert index.lookup("S702TA") == index.lookup(" S70  2TA ")
    assert "S70 2TA" in index


def test_barnsley_postcodes_for_the_demo_seeder(index: PostcodeIndex) -> None:
    barnsley = index.postcodes_in_la(BARNSLEY)
    assert len(barnsley) == 8741  # every Barnsley postcode has a location
    assert len(index.postcodes_in_la(BARNSLEY, with_location=False)) == 8741
    assert "S70 2TA" in barnsley
    assert barnsley == sorted(barnsley, key=lambda pc: f"{pc.split()[0]:<4}{pc.split()[1]}")
    assert {pc.split()[0] for pc in barnsley} >= {"S70", "S71", "S75"}
    for location in index.lookup_many(barnsley[::500]):
        assert isinstance(location, Location)
        assert location.la_code == BARNSLEY
    assert index.postcodes_in_la("X99999999") == []


def test_terminated_postcode_is_accepted(index: PostcodeIndex) -> None:
    # The package drops ONSPD's termination date, so live and terminated postcodes
    # look alike. "NPT" (old Newport, Gwent) postcodes were retired in the 1980s
    # yet are still in ONSPD, located to 100 m: they must resolve like any other.
    assert index.lookup("NPT 0AD") == Location("NPT 0AD", 331400, 188200, "W06000022")


@pytest.mark.parametrize("text", ["AB11 3AG", "ab113ag", "GIR 0AA"])
def test_postcode_without_location(index: PostcodeIndex, text: str) -> None:
    # No easting/northing (and no LA code) in the data: known, but not placeable.
    with pytest.raises(PostcodeError) as caught:
        index.lookup(text)
    assert caught.value.code == "no_location"
    assert "We cannot locate this postcode" in str(caught.value)
    assert text not in index


@pytest.mark.parametrize("text", ["JE1 0BD", "GY1 1AA", "IM1 1AA"])
def test_crown_dependencies_have_no_location(index: PostcodeIndex, text: str) -> None:
    with pytest.raises(PostcodeError) as caught:
        index.lookup(text)
    assert caught.value.code == "no_location"
    assert "We cannot locate this postcode" in str(caught.value)
    assert "Channel Islands and Isle of Man" in str(caught.value)


@pytest.mark.parametrize("text", ["BT1 1AA", "bt11aa", "BT1 1AH", "BT99 9ZZ"])
def test_northern_ireland_is_refused(index: PostcodeIndex, text: str) -> None:
    # BT1 1AA has Irish Grid numbers in the data, BT1 1AH none, BT99 9ZZ does not
    # exist: all are refused the same way, and no Irish Grid value is ever returned.
    with pytest.raises(PostcodeError) as caught:
        index.lookup(text)
    assert caught.value.code == "northern_ireland"
    assert "Northern Ireland postcodes are not supported yet" in str(caught.value)
    assert text not in index
    assert index.postcodes_in_la("N09000003", with_location=False) == []


@pytest.mark.parametrize("text", ["SW1A 9ZZ", "ZZ1 1ZZ", "S99 9ZZ"])
def test_unknown_postcode(index: PostcodeIndex, text: str) -> None:
    with pytest.raises(PostcodeError) as caught:
        index.lookup(text)
    assert caught.value.code == "unknown"
    assert caught.value.postcode == normalise_postcode(text)
    assert text not in index


def test_malformed_lookup(index: PostcodeIndex) -> None:
    with pytest.raises(PostcodeError) as caught:
        index.lookup("not a postcode")
    assert caught.value.code == "malformed"
    assert "not a postcode" not in index
    assert 123 not in index


def test_sizes(index: PostcodeIndex) -> None:
    # 2,720,556 ONSPD rows less 63,132 Northern Ireland rows; 21,303 of the rest
    # have no location (24,159 in all, counting 2,856 in Northern Ireland).
    assert index.rows == 2_720_556 - 63_132
    assert len(index) == index.rows - 21_303
    assert BARNSLEY in index.la_codes


def test_lookup_many_matches_lookup(index: PostcodeIndex) -> None:
    texts = ["s702ta", "rubbish", "BT1 1AA", "SW1A 9ZZ", "AB11 3AG", "SW1A 1AA", "NPT 0AD"]
    results = index.lookup_many(texts)
    assert len(results) == len(texts)
    assert results[0] == index.lookup("S70 2TA")
    codes = [r.code if isinstance(r, PostcodeError) else None for r in results]
    assert codes == [None, "malformed", "northern_ireland", "unknown", "no_location", None, None]
    assert isinstance(results[5], Location) and results[5].la_code == "E09000033"
    assert index.lookup_many([]) == []


def test_distance(index: PostcodeIndex) -> None:
    barnsley, sheffield = index.lookup("S70 2TA"), index.lookup("S1 2HH")
    assert math.isclose(barnsley.distance_m(sheffield), 19_358, abs_tol=1)
    assert barnsley.distance_m(barnsley) == 0


def test_real_cache_is_reused(index: PostcodeIndex, cache_dir: Path) -> None:
    path = index_path(cache_dir)
    assert index.path == path.resolve()
    before = path.stat().st_mtime_ns
    assert load_index(cache_dir) is index  # once per process
    again = open_index(cache_dir)  # a new process would do this: map, not rebuild
    assert path.stat().st_mtime_ns == before
    assert again.lookup("S70 2TA") == index.lookup("S70 2TA")


# --- cache handling, on a tiny fake data set ------------------------------------------

NAN = float("nan")
FAKE = [
    (
        ["S70 2TA", "S70 2TB", "AB113AG", "BT1 1AA", "B1  1AA"],
        [434367.0, 434400.0, NAN, 334316.0, 406649.0],
        [406524.0, 406500.0, NAN, 374675.0, 286530.0],
        [BARNSLEY, BARNSLEY, NAN, "N09000003", "E08000025"],
    ),
    (["NPT 0AD"], [331400.0], [188200.0], ["W06000022"]),
]


class FakeSource:
    def __init__(self) -> None:
        self.builds = 0

    def __call__(self):
        self.builds += 1
        return iter(FAKE)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSource]:
    source = FakeSource()
    monkeypatch.setattr(postcodes, "_read_source", source)
    monkeypatch.setattr(postcodes, "_package_version", lambda: "0.0.test")
    yield source
    load_index.cache_clear()


def test_fake_build_contents(fake: FakeSource, tmp_path: Path) -> None:
    index = open_index(tmp_path)
    assert fake.builds == 1
    assert index.rows == 5  # the BT row is never stored
    assert len(index) == 4
    assert index.lookup("B1 1AA") == Location("B1 1AA", 406649, 286530, "E08000025")
    assert index.postcodes_in_la(BARNSLEY) == ["S70 2TA", "S70 2TB"]
    assert index.postcodes_in_la("N09000003") == []
    assert "N09000003" not in index.la_codes
    assert index.lookup_many(["AB11 3AG"])[0].code == "no_location"  # type: ignore[union-attr]
    assert index.version == "0.0.test"
    assert index_path(tmp_path).name == "onspd-postcodes-0.0.test-f1.idx"


def test_second_load_does_not_rebuild(fake: FakeSource, tmp_path: Path) -> None:
    first = open_index(tmp_path)
    path = index_path(tmp_path)
    mtime = path.stat().st_mtime_ns
    second = open_index(tmp_path)
    assert fake.builds == 1
    assert path.stat().st_mtime_ns == mtime
    assert second.lookup("S70 2TA") == first.lookup("S70 2TA")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp files left


def test_load_index_is_cached_per_process(
    fake: FakeSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    index = load_index(Path("cache"))
    assert load_index(tmp_path / "cache") is index
    assert load_index(tmp_path / "cache" / ".." / "cache") is index
    assert fake.builds == 1


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"garbage" * 100, id="garbage"),
        pytest.param(lambda data: data[:16] + b"{not json" + data[25:], id="bad-header"),
        pytest.param(lambda data: data + b"\0" * 64, id="too-long"),
    ],
)
def test_damaged_cache_is_rebuilt(fake: FakeSource, tmp_path: Path, damage) -> None:
    open_index(tmp_path)
    path = index_path(tmp_path)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    index = open_index(tmp_path)
    assert fake.builds == 2
    assert path.read_bytes() == good
    assert index.lookup("S70 2TA").la_code == BARNSLEY


def test_cache_is_keyed_by_package_version(
    fake: FakeSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_index(tmp_path)
    monkeypatch.setattr(postcodes, "_package_version", lambda: "0.0.other")
    index = open_index(tmp_path)
    assert fake.builds == 2
    assert index.version == "0.0.other"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "onspd-postcodes-0.0.other-f1.idx",
        "onspd-postcodes-0.0.test-f1.idx",
    ]


def test_concurrent_builds_are_safe(fake: FakeSource, tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def build() -> None:
        try:
            postcodes.build_index(tmp_path)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == [index_path(tmp_path).name]
    assert open_index(tmp_path).lookup("NPT 0AD").la_code == "W06000022"
    assert fake.builds == 4


def test_failed_write_leaves_no_temp_file(
    fake: FakeSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(*args: object) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(postcodes.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk went away"):
        open_index(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_duplicate_rows_are_rejected(fake: FakeSource, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        postcodes._build_arrays(FAKE + FAKE)
