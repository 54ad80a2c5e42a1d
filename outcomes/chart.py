"""The commissioners' chart: cohort job outcome rates against the Work Programme's (matplotlib).

``outcomes_chart_svg`` draws, for each window (24 and 12 months), the headline rate of every
cohort that the publication rules let through, with its Wilson 95% interval, and the Work
Programme's rate for the same group as a horizontal line labelled with what it measures.
``chart_data_table`` returns exactly the values drawn, for the table the page shows beside the
chart (a chart alone is not accessible; the SVG also carries a ``<title>`` and ``<desc>``).

Approach: the object-oriented matplotlib API on an Agg canvas (no ``pyplot``, so no global
figure state in a web worker), rendered to SVG with text kept as text (``svg.fonttype = none``)
so screen readers and search can read the labels, and with a fixed hash salt and no date so the
same report always gives the same bytes. Trade-off: matplotlib is a heavy import (~0.3 s) for
one chart; the report endpoint is rarely hit and can cache the SVG per report.
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import Final

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from outcomes.report import GROUP_LABELS, WINDOWS, WP_GROUPS

__all__ = ["DEFAULT_GROUPS", "chart_data_table", "outcomes_chart_svg"]

# The groups drawn unless told otherwise: those with a Work Programme line (the mapping).
DEFAULT_GROUPS: Final = ("wp_groups", *WP_GROUPS)
# Colour-blind-safe palette (Okabe and Ito, 2008), one colour per group, in ROW_GROUPS order.
PALETTE: Final = {
    "jsa_18_24": "#E69F00",
    "jsa_25_plus": "#56B4E9",
    "esa_new": "#009E73",
    "esa_ex_ib": "#CC79A7",
    "uc_searching": "#0072B2",
    "uc_health": "#D55E00",
    "none": "#999999",
    "wp_groups": "#000000",
    "all": "#555555",
}
# Figure size in inches (one row per window) and the fixed SVG id salt (deterministic output).
PANEL_SIZE: Final = (10.0, 3.8)
SVG_SALT: Final = "jobmatch-outcomes"


def chart_data_table(report: dict, *, groups: tuple[str, ...] | None = None) -> list[dict]:
    """Return the rows the chart draws: each published cohort rate, then each Work Programme line.

    Only groups with at least one published rate in a window are drawn in that window; their
    Work Programme figures (comparison and "beside") are drawn as lines.
    """
    wanted = DEFAULT_GROUPS if groups is None else groups
    rows: list[dict] = []
    for months in (24, 12):
        points = []
        for row in report["rows"]:
            window = row[f"within_{months}"]
            if row["group"] not in wanted or not window["complete"]:
                continue
            rate = window["rate"]
            if rate["percent"] is None:
                continue
            points.append(
                {
                    "window_months": months,
                    "series": "jobmatch",
                    "group": row["group"],
                    "group_label": row["group_label"],
                    "cohort": row["cohort"],
                    "rate_percent": rate["percent"],
                    "low_percent": rate["low"],
                    "high_percent": rate["high"],
                    "label": f"JobMatch, {row['group_label']}, {row['cohort']} cohort",
                    "source": None,
                }
            )
        drawn = [g for g in wanted if any(p["group"] == g for p in points)]
        rows += sorted(points, key=lambda p: (drawn.index(p["group"]), p["cohort"]))
        for figure in report["work_programme"]:
            if figure["window_months"] != months or figure["rate_percent"] is None:
                continue
            if figure["group"] not in drawn:
                continue
            rows.append(
                {
                    "window_months": months,
                    "series": "work_programme",
                    "group": figure["group"],
                    "group_label": GROUP_LABELS[figure["group"]],
                    "cohort": None,
                    "rate_percent": figure["rate_percent"],
                    "low_percent": None,
                    "high_percent": None,
                    "label": figure["label"],
                    "source": figure["source"],
                    "role": figure["role"],
                    "wp_payment_group": figure["wp_payment_group"],
                }
            )
    return rows


def _description(report: dict, table: list[dict]) -> str:
    points = [r for r in table if r["series"] == "jobmatch"]
    lines = [r for r in table if r["series"] == "work_programme"]
    if not points:
        return (
            f"No {report['grouping']} cohort has a job outcome rate that meets the publication "
            f"rules as of {report['as_of']}, so nothing is drawn."
        )
    parts = [
        f"Headline job outcome rates of JobMatch {report['grouping']} cohorts as of "
        f"{report['as_of']}, with 95% intervals, {len(points)} points in all; only rates that "
        "meet the publication rules are drawn.",
    ]
    for r in lines:
        parts.append(
            f"Line at {r['rate_percent']:g}% within {r['window_months']} months: {r['label']}."
        )
    parts.append("The table beside the chart lists every value drawn.")
    return " ".join(parts)


def _panel(axes, months: int, table: list[dict], grouping: str) -> None:
    points = [r for r in table if r["window_months"] == months and r["series"] == "jobmatch"]
    lines = [r for r in table if r["window_months"] == months and r["series"] == "work_programme"]
    cohorts = sorted({p["cohort"] for p in points})
    groups = list(dict.fromkeys(p["group"] for p in points))
    width = 0.8 / max(len(groups), 1)
    for offset, group in enumerate(groups):
        mine = [p for p in points if p["group"] == group]
        xs = [cohorts.index(p["cohort"]) + (offset - (len(groups) - 1) / 2) * width for p in mine]
        ys = [p["rate_percent"] for p in mine]
        errors = [
            [p["rate_percent"] - p["low_percent"] for p in mine],
            [p["high_percent"] - p["rate_percent"] for p in mine],
        ]
        axes.errorbar(
            xs,
            ys,
            yerr=errors,
            fmt="o",
            color=PALETTE[group],
            capsize=3,
            markersize=4,
            label=GROUP_LABELS[group],
        )
    for line in lines:
        style = ":" if line.get("role") == "beside" else "--"
        axes.axhline(
            line["rate_percent"],
            color=PALETTE[line["group"]],
            linestyle=style,
            lw=1,
            label=f"Work Programme, {line['wp_payment_group']}: {line['rate_percent']:g}%",
        )
        axes.annotate(
            f"{line['rate_percent']:g}%",
            xy=(1.0, line["rate_percent"]),
            xycoords=("axes fraction", "data"),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color=PALETTE[line["group"]],
        )
    step = max(1, len(cohorts) // 24)  # monthly cohorts over years: label every other month
    axes.set_xticks(range(0, len(cohorts), step), cohorts[::step])
    if len(cohorts) > 6:
        axes.tick_params(axis="x", labelrotation=90, labelsize=7)
    axes.set_xlim(-0.6, max(len(cohorts), 1) - 0.4)
    top = max([p["high_percent"] for p in points] + [line["rate_percent"] for line in lines] + [10])
    axes.set_ylim(0, min(100, top + 10))
    axes.set_ylabel("% of cohort")
    axes.set_xlabel(f"{grouping.capitalize()} of registration (cohort)")
    axes.set_title(f"Job outcome within {months} months of registering", fontsize=10, loc="left")
    axes.grid(axis="y", color="#dddddd", lw=0.5)
    if groups or lines:
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.04, 1.0), frameon=False)


def _accessible(svg: str, title: str, description: str) -> str:
    """Return ``svg`` with ``<title>`` and ``<desc>`` first inside the root, labelling the image."""
    match = re.search(r"<svg\b[^>]*>", svg)
    if match is None:
        raise ValueError("matplotlib did not produce an <svg> element")
    opening = match.group(0)
    labelled = opening[:-1] + ' role="img" aria-labelledby="chart-title chart-desc">'
    head = (
        f'\n <title id="chart-title">{escape(title)}</title>'
        f'\n <desc id="chart-desc">{escape(description)}</desc>'
    )
    return svg[: match.start()] + labelled + head + svg[match.end() :]


def outcomes_chart_svg(report: dict, *, groups: tuple[str, ...] | None = None) -> str:
    """Return the chart of ``report`` (from ``build_report``) as SVG text with a title and
    description; it draws exactly ``chart_data_table(report, groups=groups)``."""
    table = chart_data_table(report, groups=groups)
    windows = [
        m for m in sorted(WINDOWS, reverse=True) if any(r["window_months"] == m for r in table)
    ]
    title = f"Job outcome rates by {report['grouping']} cohort, against the Work Programme"
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": SVG_SALT, "font.family": "DejaVu Sans"}
    ):
        panels = max(len(windows), 1)
        figure = Figure(figsize=(PANEL_SIZE[0], PANEL_SIZE[1] * panels), layout="constrained")
        FigureCanvasAgg(figure)
        axes_list = figure.subplots(panels, 1, squeeze=False)[:, 0]
        if not windows:
            axes = axes_list[0]
            axes.set_axis_off()
            axes.text(0.5, 0.5, "No rate meets the publication rules yet", ha="center")
        for axes, months in zip(axes_list, windows, strict=False):
            _panel(axes, months, table, report["grouping"])
        figure.suptitle(title, fontsize=11)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _accessible(buffer.getvalue(), title, _description(report, table))
