"""The compiled scoring loop (numba): constraints, travel, skills, occupation and both top-k heaps
in one pass, storing nothing per pair unless it is kept.

The vacancies are indexed by postings: for each skill (or occupation) column and grid cell, the
vacancies there that ask for it, with their weights. For each seeker the loop finds the runs of
grid cells their travel reach meets (plus the remote vacancies), walks their skill and title
columns through those postings, summing every dot product into a per-thread accumulator, so it
touches only vacancies within reach that share something (the others have fit 0 and are not
matches: about a fifth of the pairs on bench-city). Each touched vacancy with at least
``weights.MIN_IN_COMMON`` in common is then checked for hours, licence and minutes by mode,
scored, and pushed into the seeker's top-k heap and the vacancy's.
Threads take interleaved blocks of seekers; each has its own accumulator and slab of
vacancy heaps, merged at the end, so no locks are needed and the result does not depend on
scheduling (every heap orders by fit, then id: a strict total order). Trade-off: memory for the
vacancy heaps grows with threads x vacancies x k (2 x 30,000 x 50 x 16 bytes = 48 MB for a city
on 2 cores), and a dot product summed column by column can differ from ``reference.py``'s in the
last bit (tests compare within 1e-9); the travel arithmetic is the same expression as there.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

# --- heaps: min-heaps whose root is the worst kept pair; "worse" = lower fit, then higher key -----
# Each entry is (fit, key) where the key is the tie-break itself: a vacancy's position in id
# order in a seeker's heap, a seeker's internal index (also in id order) in a vacancy's heap.
# Comparing keys needs no look-up, so a sift touches only the heap's own memory.


@njit(cache=True, inline="always")
def _worse(fit_a, key_a, fit_b, key_b):
    return fit_a < fit_b or (fit_a == fit_b and key_a > key_b)


@njit(cache=True)
def _sift_down(hf, hk, base, n, pos):
    while True:
        child = 2 * pos + 1
        if child >= n:
            return
        right = child + 1
        if right < n and _worse(
            hf[base + right], hk[base + right], hf[base + child], hk[base + child]
        ):
            child = right
        if _worse(hf[base + child], hk[base + child], hf[base + pos], hk[base + pos]):
            hf[base + child], hf[base + pos] = hf[base + pos], hf[base + child]
            hk[base + child], hk[base + pos] = hk[base + pos], hk[base + child]
            pos = child
        else:
            return


@njit(cache=True)
def _sift_up(hf, hk, base, pos):
    while pos > 0:
        parent = (pos - 1) // 2
        if _worse(hf[base + pos], hk[base + pos], hf[base + parent], hk[base + parent]):
            hf[base + pos], hf[base + parent] = hf[base + parent], hf[base + pos]
            hk[base + pos], hk[base + parent] = hk[base + parent], hk[base + pos]
            pos = parent
        else:
            return


@njit(cache=True)
def _push(hf, hk, base, n, k, fit, key):
    """Offer (fit, key) to the heap at [base, base + k) holding n items; return the new n."""
    if n < k:
        hf[base + n] = fit
        hk[base + n] = key
        _sift_up(hf, hk, base, n)
        return n + 1
    if _worse(hf[base], hk[base], fit, key):
        hf[base] = fit
        hk[base] = key
        _sift_down(hf, hk, base, k, 0)
    return n


@njit(cache=True)
def _heap_sort_best_first(hf, hk, base, n):
    """Sort a heap in place into best-first order (fit descending, then key ascending)."""
    end = n
    while end > 1:
        end -= 1
        hf[base], hf[base + end] = hf[base + end], hf[base]
        hk[base], hk[base + end] = hk[base + end], hk[base]
        _sift_down(hf, hk, base, end, 0)


# --- the main loop ------------------------------------------------------------------------------


@njit(cache=True, inline="always")
def _keep(
    fit,
    i,
    j,
    t,
    n_v,
    k,
    n_kept,
    root,
    out_fit,
    out_key,
    v_rank,
    want_candidates,
    vh_fit,
    vh_key,
    vh_n,
    vh_min,
):
    """Offer a pair to the seeker's heap and the vacancy's; return the seeker heap's (n, root).

    ``root``/``vh_min`` hold each full heap's worst fit (-1 while not full), so most pairs are
    turned away by one comparison against memory that stays in cache.
    """
    if fit >= root:
        base = i * k
        n_kept = _push(out_fit, out_key, base, n_kept, k, fit, v_rank[j])
        if n_kept == k:
            root = out_fit[base]
    if want_candidates:
        vb = t * n_v + j
        if fit >= vh_min[vb]:
            n = _push(vh_fit, vh_key, vb * k, vh_n[vb], k, fit, i)
            vh_n[vb] = n
            if n == k:
                vh_min[vb] = vh_fit[vb * k]
    return n_kept, root


@njit(cache=True, inline="always")
def _accumulate(
    s_ptr,
    s_col,
    s_val,
    i,
    n_c1,
    n_runs,
    run_lo,
    run_hi,
    post_ptr,
    post_vac,
    post_val,
    acc,
    slot,
    now,
    touched,
    n_touched,
):
    """Add seeker i's row times the postings of the cell runs [run_lo[r], run_hi[r]) into
    acc[j, slot] for every vacancy j there. acc[j, 0] stamps the seeker that last touched j (so
    nothing needs clearing); newly touched vacancies are appended to ``touched``. Postings are
    grouped by column, then cell, so a run of cells is one contiguous range. Return the new
    number touched."""
    for p in range(s_ptr[i], s_ptr[i + 1]):
        base = s_col[p] * n_c1
        w = s_val[p]
        for r in range(n_runs):
            for q in range(post_ptr[base + run_lo[r]], post_ptr[base + run_hi[r]]):
                j = post_vac[q]
                if acc[j, 0] != now:
                    acc[j, 0] = now
                    acc[j, 1] = 0.0
                    acc[j, 2] = 0.0
                    touched[n_touched] = j
                    n_touched += 1
                acc[j, slot] += w * post_val[q]
    return n_touched


@njit(cache=True, inline="always")
def _accumulate_title(
    tr,
    s_ptr,
    s_col,
    s_val,
    n_c1,
    n_runs,
    run_lo,
    run_hi,
    post_ptr,
    post_vac,
    post_val,
    acc,
    now,
    title_stamp,
    touched,
    n_touched,
    title_touched,
):
    """Like ``_accumulate`` for one desired-title row ``tr`` of the seeker: sum its dot products
    in acc[j, 3] (acc[j, 4] stamps the title), then keep the best title's in acc[j, 2]: a
    seeker's occupation fit is their best title's cosine. Return the new number touched."""
    n_title = 0
    for p in range(s_ptr[tr], s_ptr[tr + 1]):
        base = s_col[p] * n_c1
        w = s_val[p]
        for r in range(n_runs):
            for q in range(post_ptr[base + run_lo[r]], post_ptr[base + run_hi[r]]):
                j = post_vac[q]
                if acc[j, 0] != now:
                    acc[j, 0] = now
                    acc[j, 1] = 0.0
                    acc[j, 2] = 0.0
                    touched[n_touched] = j
                    n_touched += 1
                if acc[j, 4] != title_stamp:
                    acc[j, 4] = title_stamp
                    acc[j, 3] = 0.0
                    title_touched[n_title] = j
                    n_title += 1
                acc[j, 3] += w * post_val[q]
    for u in range(n_title):
        j = title_touched[u]
        if acc[j, 3] > acc[j, 2]:
            acc[j, 2] = acc[j, 3]
    return n_touched


@njit(cache=True)
def score_blocks(
    t,
    n_threads,
    chunk,
    s_ids,
    s_e,
    s_n,
    s_located,
    s_max_min,
    s_hours_min,
    s_hours_max,
    s_licence,
    s_modes,
    s_reach,
    s_sk_ptr,
    s_sk_col,
    s_sk_val,
    s_oc_ptr,
    s_oc_col,
    s_oc_val,
    s_title_ptr,
    v_rank,
    v_rec,
    v_es_ptr,
    v_es_col,
    sk_ptr,
    sk_vac,
    sk_val,
    n_sk_cols,
    oc_ptr,
    oc_vac,
    oc_val,
    n_oc_cols,
    remote_lo,
    grid_x0,
    grid_y0,
    cell_m,
    n_gx,
    n_gy,
    mode_coef,
    mode_overhead,
    w_skill,
    w_occ,
    w_travel,
    essential_penalty,
    remote_travel,
    min_in_common,
    k,
    block,
    want_candidates,
    out_fit,
    out_key,
    out_n,
    vh_fit,
    vh_key,
    vh_n,
    vh_min,
    counters,
    ws_skill_all,
    ws_acc_all,
    ws_touched_all,
    ws_title_all,
    stamp_base,
    title_base,
):
    """Score blocks t, t + n_threads, ... of the seekers ``chunk`` (internal indices) against
    every vacancy in their reach that shares a skill or an occupation with them. Single-threaded:
    ``score_chunk`` runs it on every thread; a one-seeker request calls it directly.

    Vacancies are indexed by postings: for column col and grid cell c (remote vacancies are
    cell n_gx*n_gy), the vacancies there holding col, and their weights, are at
    [ptr[col*(n_cells+1) + c], ptr[col*(n_cells+1) + c + 1]) of *_vac/*_val, so the cells of
    one grid row are one contiguous run. Walking the seeker's columns through the runs of
    cells their reach circle meets sums every dot product while touching only vacancies that
    share something (the others have fit 0 and are not matches). Each touched vacancy is then
    checked for hours, licence and minutes by mode, scored and offered to both heaps. A pair
    that could not beat either heap's worst even with a zero-minute journey is dropped before
    its journey is computed: exact, since it could never be kept.

    v_rec[j] = (easting, northing, hours, needs licence, the fit's factor: 1, or
    ``weights.no_skills_scale`` for a vacancy that asks no skills); v_rank[j] = position in id
    order.
    Fills out_fit/out_key/out_n (seeker i at [i*k, i*k+k), best first, keys v_rank[j]) and,
    when ``want_candidates``, the per-thread vacancy heaps vh_* (thread t, vacancy j at
    [(t*n_v + j)*k, ... + k), keys seeker indices). counters[t] += (pairs touched, pairs
    within hours and licence, pairs fully scored). Workspaces hold one row per thread (see
    ``Workspace``): ws_skill_all is zero on entry and exit; every stamp in ws_acc_all is below
    ``stamp_base``, so no vacancy looks touched yet.
    """
    m = chunk.shape[0]
    n_v = v_rank.shape[0]
    n_blocks = (m + block - 1) // block
    n_modes = mode_coef.shape[0]
    remote_cell = n_gx * n_gy
    n_c1 = remote_cell + 1
    travel_cap = max(1.0, remote_travel)  # the travel part is at most this
    ws_skill = ws_skill_all[t]
    acc = ws_acc_all[t]
    touched = ws_touched_all[t]
    title_touched = ws_title_all[t]
    modes = np.empty(n_modes, dtype=np.int64)
    run_lo = np.empty(n_gy + 1, dtype=np.int64)
    run_hi = np.empty(n_gy + 1, dtype=np.int64)
    n_touched_all = 0
    n_eligible = 0
    n_scored = 0
    for b in range(t, n_blocks, n_threads):
        for r in range(b * block, min(m, (b + 1) * block)):
            i = chunk[r]
            now = stamp_base + float(i)
            for p in range(s_sk_ptr[i], s_sk_ptr[i + 1]):
                ws_skill[s_sk_col[p]] = s_sk_val[p]
            # 1. The runs of cells in reach: per grid row, the cells the reach circle meets;
            # then the remote pseudo-cell.
            reach = s_reach[i]
            se = s_e[i]
            sn = s_n[i]
            n_runs = 0
            if s_located[i] and reach > 0.0:
                reach2 = reach * reach
                cy0 = max(0, int(np.floor((sn - reach - grid_y0) / cell_m)))
                cy1 = min(n_gy - 1, int(np.floor((sn + reach - grid_y0) / cell_m)))
                for cy in range(cy0, cy1 + 1):
                    lo_y = grid_y0 + cy * cell_m
                    ddy = max(0.0, max(lo_y - sn, sn - (lo_y + cell_m)))
                    half = np.sqrt(max(0.0, reach2 - ddy * ddy))
                    cx0 = max(0, int(np.floor((se - half - grid_x0) / cell_m)))
                    cx1 = min(n_gx - 1, int(np.floor((se + half - grid_x0) / cell_m)))
                    if cx0 <= cx1:
                        run_lo[n_runs] = cy * n_gx + cx0
                        run_hi[n_runs] = cy * n_gx + cx1 + 1
                        n_runs += 1
            run_lo[n_runs] = remote_cell
            run_hi[n_runs] = remote_cell + 1
            n_runs += 1
            # 2. Sum the dot products over those runs: only vacancies sharing something.
            n_touched = _accumulate(
                s_sk_ptr,
                s_sk_col,
                s_sk_val,
                i,
                n_c1,
                n_runs,
                run_lo,
                run_hi,
                sk_ptr,
                sk_vac,
                sk_val,
                acc,
                1,
                now,
                touched,
                0,
            )
            for tr in range(s_title_ptr[i], s_title_ptr[i + 1]):
                n_touched = _accumulate_title(
                    tr,
                    s_oc_ptr,
                    s_oc_col,
                    s_oc_val,
                    n_c1,
                    n_runs,
                    run_lo,
                    run_hi,
                    oc_ptr,
                    oc_vac,
                    oc_val,
                    acc,
                    now,
                    title_base + float(tr),
                    touched,
                    n_touched,
                    title_touched,
                )
            n_touched_all += n_touched
            # 3. Check each touched vacancy and keep it if it is in reach.
            n_used = 0
            for mo in range(n_modes):
                if s_modes[i] & (1 << mo):
                    modes[n_used] = mo
                    n_used += 1
            hours_min = s_hours_min[i]
            hours_max = s_hours_max[i]
            licence = s_licence[i]
            max_min = s_max_min[i]
            n_kept = 0
            root = -1.0
            for q in range(n_touched):
                j = touched[q]
                hours = v_rec[j, 2]
                if hours < hours_min or hours > hours_max:
                    continue
                if v_rec[j, 3] != 0.0 and not licence:
                    continue
                n_eligible += 1
                penalty = 1.0
                n_essential = v_es_ptr[j + 1] - v_es_ptr[j]
                if n_essential > 0:
                    missing = 0
                    for p in range(v_es_ptr[j], v_es_ptr[j + 1]):
                        if ws_skill[v_es_col[p]] == 0.0:
                            missing += 1
                    penalty = 1.0 - essential_penalty * missing / n_essential
                shared = w_skill * acc[j, 1] + w_occ * acc[j, 2]
                scale = v_rec[j, 4]  # weights.no_skills_scale for a vacancy asking no skills
                if shared * scale < min_in_common:
                    continue  # merely near: too little in common to be a match
                # Upper bound: the same pair with the best possible journey.
                bound = (shared + w_travel * travel_cap) * penalty * scale
                if bound < root and (not want_candidates or bound < vh_min[t * n_v + j]):
                    continue
                if j >= remote_lo:
                    travel = remote_travel
                else:
                    dx = se - v_rec[j, 0]
                    dy = sn - v_rec[j, 1]
                    d2 = dx * dx + dy * dy
                    if d2 > reach * reach:
                        continue
                    d = np.sqrt(d2)
                    best = np.inf
                    for u in range(n_used):
                        mo = modes[u]
                        minutes = d * mode_coef[mo] + mode_overhead[mo]
                        if minutes <= max_min and minutes < best:
                            best = minutes
                    if best == np.inf:
                        continue
                    travel = 1.0 - best / max_min
                fit = shared + w_travel * travel
                if n_essential > 0:
                    fit = fit * penalty
                fit = fit * scale
                fit = min(fit, 1.0)  # cosines of normalised rows can pass 1 by a rounding error
                n_scored += 1
                n_kept, root = _keep(
                    fit,
                    i,
                    j,
                    t,
                    n_v,
                    k,
                    n_kept,
                    root,
                    out_fit,
                    out_key,
                    v_rank,
                    want_candidates,
                    vh_fit,
                    vh_key,
                    vh_n,
                    vh_min,
                )
            for p in range(s_sk_ptr[i], s_sk_ptr[i + 1]):
                ws_skill[s_sk_col[p]] = 0.0
            _heap_sort_best_first(out_fit, out_key, i * k, n_kept)
            out_n[i] = n_kept
    counters[t, 0] += n_touched_all
    counters[t, 1] += n_eligible
    counters[t, 2] += n_scored


@njit(parallel=True, cache=True)
def score_chunk(n_threads, *args):
    """Run ``score_blocks`` on ``n_threads`` threads, thread t taking blocks t, t + n, ..."""
    for t in prange(n_threads):
        score_blocks(t, n_threads, *args)


@njit(cache=True)
def compact(out_fit, out_key, out_n, k, rows):
    """Return (fit, key, row, rank) for the kept entries of the top-k slabs, visiting ``rows``
    in the order given; rank is 1-based within the row."""
    total = 0
    for r in rows:
        total += out_n[r]
    fit = np.empty(total, dtype=np.float64)
    key = np.empty(total, dtype=np.int64)
    row = np.empty(total, dtype=np.int64)
    rank = np.empty(total, dtype=np.int32)
    p = 0
    for r in rows:
        for q in range(out_n[r]):
            fit[p] = out_fit[r * k + q]
            key[p] = out_key[r * k + q]
            row[p] = r
            rank[p] = q + 1
            p += 1
    return fit, key, row, rank


@njit(cache=True)
def merge_vacancy_heaps(vh_fit, vh_key, vh_n, n_threads, n_v, k, out_fit, out_key, out_n):
    """Merge the per-thread heaps of each vacancy into one best-first top k."""
    tmp_fit = np.empty(n_threads * k, dtype=np.float64)
    tmp_key = np.empty(n_threads * k, dtype=np.int64)
    for j in range(n_v):
        n = 0
        for t in range(n_threads):
            vb = t * n_v + j
            for q in range(vh_n[vb]):
                n = _push(tmp_fit, tmp_key, 0, n, k, vh_fit[vb * k + q], vh_key[vb * k + q])
        _heap_sort_best_first(tmp_fit, tmp_key, 0, n)
        for q in range(n):
            out_fit[j * k + q] = tmp_fit[q]
            out_key[j * k + q] = tmp_key[q]
        out_n[j] = n


# --- congestion ---------------------------------------------------------------------------------


@njit(cache=True)
def greedy_allocate(order, pair_seeker, pair_vacancy, n_seekers, capacity, per_seeker):
    """Walk pairs in ``order`` and allocate each while its seeker has fewer than ``per_seeker``
    and its vacancy has capacity left. Return (allocated flag per pair, allocations per vacancy).
    """
    allocated = np.zeros(pair_seeker.shape[0], dtype=np.bool_)
    seeker_used = np.zeros(n_seekers, dtype=np.int32)
    left = capacity.copy()
    used = np.zeros(capacity.shape[0], dtype=np.int64)
    for q in range(order.shape[0]):
        p = order[q]
        i = pair_seeker[p]
        j = pair_vacancy[p]
        if seeker_used[i] < per_seeker and left[j] > 0:
            allocated[p] = True
            seeker_used[i] += 1
            left[j] -= 1
            used[j] += 1
    return allocated, used


@njit(cache=True)
def rank_segments(seg_ptr, score, ids):
    """Return (1-based rank of each item within its segment [seg_ptr[s], seg_ptr[s+1]) by score
    descending then id ascending, and the items in segment-then-rank order). An insertion sort:
    segments hold at most k pairs."""
    n = score.shape[0]
    rank = np.empty(n, dtype=np.int32)
    order = np.empty(n, dtype=np.int64)
    for s in range(seg_ptr.shape[0] - 1):
        lo = seg_ptr[s]
        hi = seg_ptr[s + 1]
        for a in range(lo, hi):
            order[a] = a
            b = a
            while b > lo and _worse(score[order[b - 1]], ids[order[b - 1]], score[a], ids[a]):
                order[b] = order[b - 1]
                b -= 1
            order[b] = a
        for a in range(lo, hi):
            rank[order[a]] = a - lo + 1
    return rank, order


def thread_count() -> int:
    return int(numba.get_num_threads())


class Workspace:
    """Scratch arrays for ``score_chunk``, one row per thread: reusable across calls (one
    request at a time), which saves a one-seeker call from zeroing a city's worth of memory."""

    def __init__(self, n_threads: int, n_vacancies: int, n_skill_cols: int):
        self.n_threads = n_threads
        self.skill = np.zeros((n_threads, max(1, n_skill_cols)), dtype=np.float64)
        # Per vacancy: seeker stamp, skills dot, occupation fit, title dot, title stamp.
        self.acc = np.zeros((n_threads, max(1, n_vacancies), 5), dtype=np.float64)
        self.acc[:, :, 0] = -1.0
        self.acc[:, :, 4] = -1.0
        self.touched = np.empty((n_threads, max(1, n_vacancies)), dtype=np.int64)
        self.title_touched = np.empty((n_threads, max(1, n_vacancies)), dtype=np.int64)
        self.next_stamp = 0.0

    def stamps(self, n: int) -> float:
        """Return a stamp base for ``n`` seekers (or titles) and reserve their stamps."""
        base = self.next_stamp
        self.next_stamp += float(n)
        return base


PRIORITY_TIE = 1e-9  # relative: the engine's fits agree with the reference within 1e-9


@njit(cache=True)
def allocate_by_cutoff(
    seg_ptr, priority, pair_vacancy, seeker_id, fit_rank, full, cut_p, cut_s, cut_r, per_seeker
):
    """Replay a frozen allocation one seeker at a time. Within each segment (one seeker's pairs,
    by fit rank), walk the pairs by priority (ties by fit rank) and allocate each while the
    seeker has fewer than ``per_seeker`` and it comes no later in the full walk than its
    vacancy's cutoff (order: priority descending, seeker id, fit rank), if the vacancy filled.
    Priorities within ``PRIORITY_TIE`` (relative) of the cutoff count as equal: a fit summed in
    another order can differ in its last bits, and the cutoff pair itself must stay allocated."""
    n = priority.shape[0]
    allocated = np.zeros(n, dtype=np.bool_)
    for s in range(seg_ptr.shape[0] - 1):
        lo = seg_ptr[s]
        hi = seg_ptr[s + 1]
        walk = np.empty(hi - lo, dtype=np.int64)
        for a in range(lo, hi):  # insertion sort: at most k pairs
            b = a - lo
            while b > 0 and (
                priority[walk[b - 1]] < priority[a]
                or (priority[walk[b - 1]] == priority[a] and fit_rank[walk[b - 1]] > fit_rank[a])
            ):
                walk[b] = walk[b - 1]
                b -= 1
            walk[b] = a
        taken = 0
        for q in range(hi - lo):
            if taken >= per_seeker:
                break
            p = walk[q]
            j = pair_vacancy[p]
            room = True
            if full[j]:
                gap = priority[p] - cut_p[j]
                if abs(gap) > PRIORITY_TIE * max(1.0, abs(cut_p[j])):
                    room = gap > 0
                elif seeker_id[p] != cut_s[j]:
                    room = seeker_id[p] < cut_s[j]
                else:
                    room = fit_rank[p] <= cut_r[j]
            if room:
                allocated[p] = True
                taken += 1
    return allocated
