"""Reasons as match rows store them, built once per pair, and for a large write built ahead in a
second process while this one writes.

A full run on the demo town writes about 95,000 rows; building their reasons is plain Python
(``engine.reasons``), about as long as the database takes to store them. Done one after the
other, the two add up; here a forked child builds the next chunks' reasons while this process
writes the current chunk, so they overlap. The child inherits the run's result (fork: nothing is
copied up front) and sends back encoded JSON, so the rows are the same byte for byte as those
built in process (a test compares). Where fork is not available, the machine has one core, the
write is small or ``JOBMATCH_REASON_PROCESS`` is "off", reasons are built in process, as they are
for any pair the child did not send.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

import orjson

from matching.bulk import NUMPY, JSONText
from matching.engine import stored

if TYPE_CHECKING:
    from matching.engine import MatchResult

AHEAD_MIN_ROWS = 20_000  # rows to write below which a second process costs more than it saves
AHEAD_CHUNKS = 2  # chunks built ahead of the one being written (bounds the memory held)
CHILD_TIMEOUT_S = 120.0  # a chunk's reasons take under a second; longer, the child is stuck


class RowReasons:
    """Reasons built and encoded once per pair, only for the rows a sync writes, in the compact
    form rows store (``wording.stored``). A pair may be both a match (worded with what
    congestion did to it in the seeker's list) and a candidate (without): its own reasons are
    encoded once and the match's congestion appended. ``ahead`` holds reasons a child built."""

    TAIL = b"null}"  # how the pair's own reasons end: ``"congestion": null``, the last key

    def __init__(self, result: MatchResult):
        from matching.engine import ReasonBuilder

        self.builder = ReasonBuilder(result)
        self.own: dict[tuple[int, int], bytes] = {}
        self.cache: dict[tuple[int, int, bool], JSONText] = {}
        self.ahead: _Ahead | None = None
        self.seconds = 0.0  # spent building, or waiting for the child
        self.from_child = 0  # rows whose reasons the child built

    def __call__(self, seeker_id: int, vacancy_id: int, *, places: bool = True) -> JSONText:
        key = (seeker_id, vacancy_id, places)
        found = self.cache.get(key)
        if found is None and self.ahead is not None:
            began = time.perf_counter()
            found = self.ahead.get(key)
            self.seconds += time.perf_counter() - began
            self.from_child += found is not None
        if found is None:
            began = time.perf_counter()
            found = self.cache[key] = JSONText(self.encoded(seeker_id, vacancy_id, places))
            self.seconds += time.perf_counter() - began
        return found

    def encoded(self, seeker_id: int, vacancy_id: int, places: bool) -> str:
        own = self.own.get((seeker_id, vacancy_id))
        if own is None:
            own = self.own[(seeker_id, vacancy_id)] = orjson.dumps(
                self.builder.pair(seeker_id, vacancy_id), option=NUMPY
            )
            assert own.endswith(b',"congestion":' + self.TAIL)  # where places are spliced in
        if places:
            congestion = stored({"congestion": self.builder.congestion(seeker_id, vacancy_id)})
            words = orjson.dumps(congestion["congestion"], option=NUMPY)
            own = own[: -len(self.TAIL)] + words + b"}"
        return own.decode()

    def forget(self) -> None:
        """Done with these seekers: drop what was built for them."""
        self.own.clear()
        self.cache.clear()
        self.builder.forget_pairs()
        if self.ahead is not None:
            self.ahead.forget()

    def close(self) -> None:
        if self.ahead is not None:
            self.ahead.close()
            self.ahead = None

    def build_ahead(self, chunks: Sequence[Sequence[int]], rows: int) -> None:
        """Build the reasons of every row of these chunks of seekers in a child, in order, a few
        chunks ahead of the caller, who takes them chunk by chunk (``RowReasons.forget`` moves
        on). ``rows``: how many rows the caller expects to write; below ``AHEAD_MIN_ROWS`` (or
        where a child cannot be had) nothing is started."""
        if rows < AHEAD_MIN_ROWS or not _can_fork() or len(chunks) < 2:
            return
        ahead = _Ahead(self.builder.result, chunks)
        self.ahead = ahead if ahead.pool is not None else None


def _can_fork() -> bool:
    if os.environ.get("JOBMATCH_REASON_PROCESS", "auto").lower() in {"off", "0", "false", "no"}:
        return False
    if multiprocessing.current_process().daemon:  # may not have children
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


# --- the child -----------------------------------------------------------------------------------

_RESULT: MatchResult | None = None  # set while the child is forked: its copy of the run's result
_FORK_LOCK = threading.Lock()  # one fork at a time sees ``_RESULT``
_CHILD: RowReasons | None = None


def _child_start(parent: int) -> None:
    """In the child, first: take signals as a plain process does (not the worker's handlers),
    and leave as soon as the parent is gone, so a killed worker leaves nothing behind holding
    its database connection."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)  # no clean-up: the connections are the parent's

    threading.Thread(target=watch, daemon=True).start()


def _child_build(seeker_ids: Sequence[int]) -> dict[tuple[int, int, bool], str]:
    """In the child: every row's reasons for these seekers (their matches, with places; their
    place in candidate lists, without)."""
    global _CHILD
    if _CHILD is None:
        _CHILD = RowReasons(_RESULT)
    out = {}
    for key in _row_keys(_CHILD.builder.result, seeker_ids):
        out[key] = _CHILD.encoded(*key)
    _CHILD.forget()
    return out


def _row_keys(result: MatchResult, seeker_ids: Iterable[int]) -> list[tuple[int, int, bool]]:
    import numpy as np

    wanted = np.asarray(list(seeker_ids), dtype=np.int64)
    keys = []
    for side, places in ((result.matches, True), (result.candidates, False)):
        mine = np.isin(side.seeker_id, wanted)
        pairs = zip(side.seeker_id[mine].tolist(), side.vacancy_id[mine].tolist(), strict=True)
        keys.extend((s, v, places) for s, v in pairs)
    return keys


class _Ahead:
    """A one-process pool building chunks' reasons ahead of the writer, at most
    ``AHEAD_CHUNKS`` beyond the caller's. ``pool`` is None when no child could be had; any
    later failure (the child died or hangs) leaves the caller building in process."""

    def __init__(self, result: MatchResult, chunks: Sequence[Sequence[int]]):
        global _RESULT
        self.chunks = [list(c) for c in chunks]
        self.futures: dict[int, Future] = {}  # chunk -> its reasons, submitted and not taken
        self.chunk = 0  # the chunk the caller is on
        self.next = 0  # the next chunk to submit
        self.current: dict[tuple[int, int, bool], str] | None = None
        self.pool: ProcessPoolExecutor | None = None
        with _FORK_LOCK:
            _RESULT = result
            try:
                self.pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_child_start,
                    initargs=(os.getpid(),),
                )
                self._submit()  # the first submit forks the child, which copies _RESULT
            except Exception:  # no child here (a daemonic worker process, a sandbox)
                self.close()
            finally:
                _RESULT = None

    def _submit(self) -> None:
        while (
            self.pool is not None
            and self.next < len(self.chunks)
            and self.next <= self.chunk + AHEAD_CHUNKS
        ):
            self.futures[self.next] = self.pool.submit(_child_build, self.chunks[self.next])
            self.next += 1

    def get(self, key: tuple[int, int, bool]) -> JSONText | None:
        if self.current is None:
            self.current = self._take()
        found = self.current.get(key)
        return JSONText(found) if found is not None else None

    def _take(self) -> dict:
        future = self.futures.pop(self.chunk, None)
        if future is None or self.pool is None:
            return {}
        try:
            return future.result(timeout=CHILD_TIMEOUT_S)
        except Exception:
            self.close()
            return {}

    def forget(self) -> None:
        """The caller moves to the next chunk (if it never looked at this one's, they are
        dropped unread, not waited for)."""
        unread = self.futures.pop(self.chunk, None)
        if unread is not None:
            unread.cancel()
        self.chunk += 1
        self.current = None
        try:
            self._submit()
        except Exception:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
        self.futures.clear()
