"""Bar charts for the hub, drawn on the server as SVG (Matplotlib's Agg backend), always shown
with the table of the same figures beside them, so no figure lives only in a picture."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

# Okabe and Ito: told apart by people with the common colour blindnesses; hatches as well.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
HATCHES = ["", "//", "..", "xx", "\\\\", "--"]


def bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    x_label: str = "",
    stacked: bool = False,
) -> str:
    """Horizontal bars (one group per label, one bar or stack part per series), as SVG text.
    None draws nothing (a withheld figure)."""
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "linkwell"
    height = max(2.4, 0.38 * len(labels) * (1 if stacked else max(1, len(series))) + 1.2)
    figure = Figure(figsize=(6.4, min(height, 14)), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    width = 0.8 if stacked else 0.8 / max(1, len(series))
    left = [0.0] * len(labels)
    for n, (name, values) in enumerate(series):
        numbers = [v or 0.0 for v in values]
        if stacked:
            axes.barh(positions, numbers, 0.8, left=left, label=name,
                      color=COLOURS[n % len(COLOURS)], hatch=HATCHES[n % len(HATCHES)],
                      edgecolor="#ffffff")  # fmt: skip
            left = [a + b for a, b in zip(left, numbers, strict=True)]
        else:
            offset = [p - 0.4 + width * (n + 0.5) for p in positions]
            axes.barh(offset, numbers, width, label=name, color=COLOURS[n % len(COLOURS)],
                      hatch=HATCHES[n % len(HATCHES)], edgecolor="#ffffff")  # fmt: skip
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel(x_label)
    axes.grid(True, axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(series) > 1:
        axes.legend(loc="lower right", frameon=False)
    out = io.StringIO()
    figure.savefig(out, format="svg")
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def as_image(svg: str) -> str:
    """The chart as a `data:` address for an <img>: inline, the site's Content-Security-Policy
    refuses the style attributes Matplotlib writes into SVG (every bar would draw black)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
