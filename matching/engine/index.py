"""The vacancies that can be matched today, indexed for the compiled loop: ``VacancyIndex.build``
keeps the matchable ones (open, not past closing, a position left, located or remote),
vectorises their skills and titles, buckets the located ones on a 5 km grid and indexes them by
(column, cell) postings."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from matching.engine import congestion as congestion_mod
from matching.engine import kernel, weights
from matching.engine.context import MatchContext
from matching.engine.model import (
    Congestion,
    Seeker,
    Vacancy,
)
from matching.engine.reference import vacancy_failures

CELL_M = 5000.0  # grid cell side: 5 km buckets; the bench's town and city figures are with it
MAX_POSTING_SLOTS = 8_000_000  # cells x columns in the postings' pointer table (64 MB at most)


class VacancyIndex:
    """The vacancies that can be matched today, ready for the compiled loop. Build once per run
    (or per process, for one-seeker requests) with ``build``."""

    def __init__(self) -> None:  # use build()
        self.context: MatchContext
        self.vacancies: list[Vacancy]  # matchable, in internal order (grid cell, then id)
        self.vacancies_by_id: dict[int, Vacancy]  # every vacancy given, matchable or not
        self.occupation_rows: dict[int, sp.csr_matrix]  # vacancy id -> its title row

    @classmethod
    def build(
        cls,
        vacancies: Sequence[Vacancy],
        *,
        context: MatchContext,
        occupations: sp.spmatrix | None = None,
        congestion: Congestion | None = None,
        cell_m: float = CELL_M,
    ) -> VacancyIndex:
        """Index ``vacancies``; ``occupations`` has one L2-normalised row per vacancy, in the same
        order (None: every vacancy's occupation part is 0)."""
        if not hasattr(context.travel, "coefficients"):
            raise TypeError("the batch engine compiles EstimatedTravel-like linear models only")
        ids = [v.id for v in vacancies]
        if len(set(ids)) != len(ids):
            raise ValueError("vacancy ids must be unique")
        self = cls()
        self.context = context
        self._lock = threading.Lock()
        self._workspace: kernel.Workspace | None = None
        self._kernel_args: tuple | None = None
        self.vacancies_by_id = {v.id: v for v in vacancies}
        occ = as_csr(occupations, len(vacancies), "vacancy occupations")
        self.occupation_rows = (
            {} if occ is None else LazyRows(occ, {v.id: r for r, v in enumerate(vacancies)})
        )
        rows = [
            r
            for r, v in enumerate(vacancies)
            if not vacancy_failures(v, context.today) and (v.remote or v.located)
        ]
        skills = context.skill_space.vacancy_matrix([vacancies[r] for r in rows])
        picked = None
        if occ is not None:
            picked = occ[rows] if rows else sp.csr_matrix((0, occ.shape[1]))
        self.n_skill_cols = max(1, len(skills.columns))
        self.n_occ_cols = occ.shape[1] if occ is not None else 1
        order = self._grid([vacancies[r] for r in rows], cell_m)
        self.vacancies = [vacancies[rows[o]] for o in order]
        self._arrays()
        self.skill_columns = skills
        self.columns = skills.columns
        self.skills = skills.matrix[order]
        self.essential = skills.essential[order]
        self.occupations = None if picked is None else sorted_csr(picked[order])
        self._postings()
        self.congestion = congestion or Congestion()
        self.factors = congestion_mod.vacancy_factors(self.vacancies, self.congestion)
        return self

    def _grid(self, vacancies: list[Vacancy], cell_m: float) -> np.ndarray:
        """Bucket the located vacancies on a square grid; return their order: located ones cell
        by cell (then by id), remote ones last (by id). Cells grow beyond ``cell_m`` when the
        postings' pointer table (cells x columns) would pass MAX_POSTING_SLOTS."""
        ids = np.array([v.id for v in vacancies], dtype=np.int64)
        remote = np.array([v.remote for v in vacancies], dtype=np.bool_)
        located = np.flatnonzero(~remote)
        e = np.array([v.easting or 0 for v in vacancies], dtype=np.float64)
        n = np.array([v.northing or 0 for v in vacancies], dtype=np.float64)
        self.remote_lo = int(located.shape[0])
        if located.size == 0:
            self.x0 = self.y0 = 0.0
            self.cell_m = float(cell_m)
            self.n_gx = self.n_gy = 1
            cell = np.zeros(0, dtype=np.int64)
        else:
            self.x0, self.y0 = float(e[located].min()), float(n[located].min())
            area = (e[located].max() - self.x0 + cell_m) * (n[located].max() - self.y0 + cell_m)
            slots = (self.n_skill_cols + self.n_occ_cols) * area
            self.cell_m = float(max(cell_m, np.sqrt(slots / MAX_POSTING_SLOTS)))
            self.n_gx = int((e[located].max() - self.x0) // self.cell_m) + 1
            self.n_gy = int((n[located].max() - self.y0) // self.cell_m) + 1
            cell = ((n[located] - self.y0) // self.cell_m).astype(np.int64) * self.n_gx + (
                (e[located] - self.x0) // self.cell_m
            ).astype(np.int64)
        located_order = located[np.lexsort((ids[located], cell))]
        remote_rows = np.flatnonzero(remote)
        remote_order = remote_rows[np.argsort(ids[remote_rows], kind="stable")]
        self.cell = np.concatenate([np.sort(cell), np.full(remote_order.shape[0], self.n_cells)])
        return np.concatenate([located_order, remote_order]).astype(np.int64)

    @property
    def n_cells(self) -> int:
        return self.n_gx * self.n_gy

    def _arrays(self) -> None:
        vs = self.vacancies
        self.ids = np.array([v.id for v in vs], dtype=np.int64)
        self._id_order = np.argsort(self.ids, kind="stable")
        self.id_rank = np.empty_like(self._id_order)
        self.id_rank[self._id_order] = np.arange(self.ids.shape[0])
        self.easting = np.array([v.easting or 0 for v in vs], dtype=np.float64)
        self.northing = np.array([v.northing or 0 for v in vs], dtype=np.float64)
        self.hours = np.array([v.hours_per_week for v in vs], dtype=np.float64)
        self.licence = np.array([v.requires_driving_licence for v in vs], dtype=np.bool_)
        scale = weights.no_skills_scale(self.context.use_occupations)
        self.fit_scale = np.array([1.0 if v.asked_skills() else scale for v in vs])
        # What the kernel reads per touched vacancy, side by side.
        self.record = np.ascontiguousarray(
            np.c_[
                self.easting,
                self.northing,
                self.hours,
                self.licence.astype(np.float64),
                self.fit_scale,
            ]
        ).reshape(-1, 5)

    def _postings(self) -> None:
        """Index the vacancies' skill and occupation rows by (cell, column): the kernel walks a
        seeker's columns through the cells in reach. Remote vacancies sit in cell n_cells."""
        self.skill_postings = _postings(self.skills, self.cell, self.n_cells + 1)
        occ = self.occupations
        if occ is None or not self.context.use_occupations:
            occ = sp.csr_matrix((len(self.vacancies), self.n_occ_cols), dtype=np.float64)
        self.occ_postings = _postings(occ, self.cell, self.n_cells + 1)

    def kernel_args(self) -> tuple:
        if self._kernel_args is None:
            self._kernel_args = _vacancy_kernel_args(self)
        return self._kernel_args

    def workspace(self, threads: int) -> tuple[kernel.Workspace, threading.Lock | None]:
        """Return scratch for the kernel: for one thread (a one-seeker request), the index's own,
        reused, with its lock held (release it after the call); otherwise a fresh one."""
        if threads == 1 and self._lock.acquire(blocking=False):
            if self._workspace is None:
                self._workspace = kernel.Workspace(1, len(self.vacancies), self.n_skill_cols)
            return self._workspace, self._lock
        return kernel.Workspace(threads, len(self.vacancies), self.n_skill_cols), None

    def positions(self, vacancy_ids: np.ndarray) -> np.ndarray:
        """Return the internal positions of matchable vacancy ids (all must be in the index)."""
        return self._id_order[np.searchsorted(self.ids, vacancy_ids, sorter=self._id_order)]

    def __len__(self) -> int:
        return len(self.vacancies)

    def occupation_row(self, vacancy_id: int) -> sp.csr_matrix | None:
        return self.occupation_rows.get(vacancy_id)

    def pair_explanation(
        self, seeker: Seeker, vacancy_id: int, *, seeker_occupation_rows: sp.spmatrix | None = None
    ):
        """Explain one pair against any vacancy given to ``build`` (matchable or not), with this
        index's context, occupation row and congestion inputs. See ``reasons.pair_explanation``."""
        from matching.engine.reasons import pair_explanation

        return pair_explanation(
            seeker,
            self.vacancies_by_id[vacancy_id],
            context=self.context,
            seeker_occupation_rows=seeker_occupation_rows,
            vacancy_occupation_row=self.occupation_row(vacancy_id),
            congestion=self.congestion,
        )


def _postings(matrix: sp.csr_matrix, cell: np.ndarray, n_cells: int) -> tuple:
    """Return (ptr, vacancy, value, n_cols): the entries of ``matrix`` grouped by column, then
    by the cell of their row, rows ascending; group g = col * n_cells + cell is
    [ptr[g], ptr[g + 1]), so consecutive cells of a grid row are one contiguous range."""
    n_cols = matrix.shape[1]
    rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    key = matrix.indices.astype(np.int64) * n_cells + cell[rows]
    order = np.argsort(key, kind="stable")
    ptr = np.zeros(n_cells * n_cols + 1, dtype=np.int64)
    np.cumsum(np.bincount(key, minlength=n_cells * n_cols), out=ptr[1:])
    return ptr, rows[order], matrix.data[order].astype(np.float64), n_cols


def _vacancy_kernel_args(index: VacancyIndex) -> tuple:
    ctx = index.context
    coef, overhead = ctx.travel.coefficients()
    w_skill, w_occ, w_travel = weights.score_weights(ctx.use_occupations)
    return (
        index.id_rank,
        index.record,
        index.essential.indptr.astype(np.int64),
        index.essential.indices.astype(np.int64),
        *index.skill_postings,
        *index.occ_postings,
        index.remote_lo,
        index.x0,
        index.y0,
        index.cell_m,
        index.n_gx,
        index.n_gy,
        coef,
        overhead,
        w_skill,
        w_occ,
        w_travel,
        weights.ESSENTIAL_PENALTY,
        weights.REMOTE_TRAVEL_SCORE,
        weights.MIN_IN_COMMON,
    )


def as_csr(matrix: sp.spmatrix | None, rows: int, what: str) -> sp.csr_matrix | None:
    if matrix is None:
        return None
    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    if matrix.shape[0] != rows:
        raise ValueError(f"{what}: {matrix.shape[0]} rows for {rows} items")
    return matrix


def sorted_csr(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
    matrix.sort_indices()
    return matrix


class LazyRows(dict):
    """{id: rows of a matrix}, sliced out only when asked; ``spans`` maps an id to its row, or to
    a (start, stop) range of rows."""

    def __init__(self, matrix: sp.csr_matrix, spans: dict):
        super().__init__()
        self._matrix = matrix
        self._row_of = spans

    def __missing__(self, key: int) -> sp.csr_matrix:
        span = self._row_of[key]
        row = self._matrix[span[0] : span[1]] if isinstance(span, tuple) else self._matrix[span]
        self[key] = row
        return row

    def get(self, key, default=None):
        if key in self._row_of:
            return self[key]
        return default
