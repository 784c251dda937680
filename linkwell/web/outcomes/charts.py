"""A person's scores on one instrument over time, drawn on the server (Matplotlib's Agg
backend, no display) as an SVG image: no script in the page, and the same numbers are in a
table beside it for anyone who cannot see the picture."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

# Colours told apart by people with the common colour blindnesses (Okabe and Ito), with a
# marker shape each so that no line depends on its colour alone.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
MARKERS = ["o", "s", "^", "D", "v", "P"]


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[dt.date, float]]


def draw(series: list[Series], *, y_label: str, y_range: tuple[float, float] | None) -> bytes:
    """The series as one line chart, SVG bytes (fonts as text, so it stays small and sharp)."""
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "linkwell"  # the same numbers draw the same file
    figure = Figure(figsize=(6.4, 3.6), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    for n, line in enumerate(series):
        if not line.points:
            continue
        days, values = zip(*line.points, strict=True)
        axes.plot(
            days,
            values,
            label=line.label,
            color=COLOURS[n % len(COLOURS)],
            marker=MARKERS[n % len(MARKERS)],
            linewidth=2,
            markersize=7,
        )
    if y_range:
        low, high = y_range
        pad = (high - low) * 0.05 or 1
        axes.set_ylim(low - pad, high + pad)
    axes.set_ylabel(y_label)
    days_drawn = {day for line in series for day, _value in line.points}
    if len(days_drawn) == 1:  # all on one day: a range for the date axis to mark
        (only,) = days_drawn
        axes.set_xlim(only - dt.timedelta(days=1), only + dt.timedelta(days=1))
    axes.xaxis.set_major_locator(AutoDateLocator(maxticks=6))
    axes.xaxis.set_major_formatter(DateFormatter("%d %b %Y"))
    axes.grid(True, axis="y", color="#dddddd")
    axes.spines[["top", "right"]].set_visible(False)
    for label in axes.get_xticklabels():
        label.set_rotation(20)
        label.set_horizontalalignment("right")
    if len(series) > 1:
        axes.legend(loc="best", frameon=False)
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
