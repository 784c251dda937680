"""The report's plain data as tables of text, the same for the page, the CSV and the PDF: a
withheld count reads "fewer than 5" (1 to 4) or "withheld" (hidden so that one of 1 to 4
cannot be worked out from it), and figures resting on fewer than 5 pairs are not shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

NOTHING = "\u2013"  # an en dash: no figure
MINUS = "\u2212"  # a minus sign, not a hyphen, before a negative number


@dataclass(frozen=True)
class Cell:
    text: str
    withheld: bool = False


@dataclass
class Table:
    key: str
    caption: str
    head: list[str]  # the first is the rows' header column
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    total: tuple[str, list[Cell]] | None = None
    note: str = ""

    @property
    def lines(self) -> list[tuple[str, list[tuple[str, Cell]], bool]]:
        """(row header, [(column name, cell)], is the total row) of each row, the total last:
        what a stacked table labels each cell with on a narrow screen."""
        body = [(label, cells, False) for label, cells in self.rows]
        if self.total:
            body.append((*self.total, True))
        return [
            (label, list(zip(self.head[1:], cells, strict=True)), t) for label, cells, t in body
        ]


def small_text() -> str:
    return _("fewer than 5")


def withheld_text() -> str:
    return _("withheld")


def explanation(threshold: int = 5) -> str:
    return _(
        "To protect people's privacy, counts of 1 to %(last)s are shown as “fewer than "
        "%(threshold)s”. Where such a count could be worked out by taking the others from a "
        "total, the next smallest count in the same row or column is “withheld” too (it may "
        "be more). Averages and changes are shown only for groups of at least %(threshold)s "
        "people with both scores."
    ) % {"last": threshold - 1, "threshold": threshold}


def _count(data: dict[str, Any], key: str) -> Cell:
    value = data.get(key)
    if value is None:
        reason = data.get("withheld", {}).get(key)
        if reason == "small":
            return Cell(small_text(), True)
        if reason:
            return Cell(withheld_text(), True)
        return Cell(NOTHING)
    return Cell(f"{value:,}")


def number(value: float | None, places: int = 1) -> str:
    if value is None:
        return NOTHING
    text = f"{value:,.{places}f}"
    return text.replace("-", MINUS) if value < 0 else text


def signed(value: float | None, places: int = 1) -> str:
    if value is None:
        return NOTHING
    return ("+" if value > 0 else "") + number(value, places)


def p_value(value: float | None) -> str:
    """The p-value as shown: "p = 0.012", or "p < 0.001" for the smallest."""
    if value is None:
        return f"p = {NOTHING}"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def share(part: float | None) -> str:
    return NOTHING if part is None else f"{part * 100:.0f}%"


def _change(figures: dict[str, Any] | None) -> Cell:
    if figures is None:
        return Cell(_("not shown (fewer than 5 pairs, or withheld)"), True)
    if figures["ci_low"] is None:
        return Cell(signed(figures["mean_change"]))
    return Cell(
        _("%(mean)s (%(low)s to %(high)s)")
        % {
            "mean": signed(figures["mean_change"]),
            "low": signed(figures["ci_low"]),
            "high": signed(figures["ci_high"]),
        }
    )


def _improved(data: dict[str, Any]) -> Cell:
    figures = data.get("figures")
    if figures is None:
        return Cell(NOTHING)
    if figures["improved"] is None:
        return Cell(_("no meaningful change defined"))
    if figures.get("share_improved") is None:
        return _count(data, "improved")
    return Cell(share(figures["share_improved"]))


def build(report: dict[str, Any]) -> list[Table]:
    """Every table of the report, in the order the page shows them."""
    measure = report["measure"]
    tables = [_attrition(report), _comparison(report), _overall(report, measure)]
    head = [
        _("Group"),
        _("Started"),
        _("No baseline"),
        _("Baseline, no follow-up"),
        _("Both scores"),
        _("Mean change (95% CI)"),
        _("Improved meaningfully"),
    ]
    for breakdown in report["breakdowns"]:
        table = Table(
            breakdown["key"],
            _("%(title)s: who started, who has both scores, and the change")
            % {"title": breakdown["title"]},
            head,
        )
        for row in [*breakdown["rows"], breakdown["total"]]:
            cells = [
                _count(row, "started"),
                _count(row, "no_baseline"),
                _count(row, "missing_follow_up"),
                _count(row, "paired"),
                _change(row["figures"]),
                _improved(row),
            ]
            if row["code"] == "total":
                table.total = (row["label"], cells)
            else:
                table.rows.append((row["label"], cells))
        tables.append(table)
    return tables


def _attrition(report: dict[str, Any]) -> Table:
    data = report["attrition"]
    started = data["started"]

    def part(key: str) -> str:
        value = data.get(key)
        return share(value / started) if value is not None and started else NOTHING

    table = Table(
        "attrition",
        _("Who started, and who is missing a score"),
        [_("Stage"), _("People"), _("Share of those who started")],
    )
    for key, label in (
        ("no_baseline", _("No baseline score recorded")),
        ("awaiting", _("Baseline only: case still open (follow-up not yet due or not yet done)")),
        ("lost", _("Baseline only: case closed without a follow-up (lost to follow-up)")),
        ("paired", _("Both a baseline and a follow-up score")),
    ):
        table.rows.append((label, [_count(data, key), Cell(part(key))]))
    table.total = (_("Started (cases opened in the period)"), [_count(data, "started"), Cell("")])
    return table


def _comparison(report: dict[str, Any]) -> Table:
    data = report["baseline_comparison"]
    table = Table(
        "baseline_comparison",
        _("How those lost to follow-up differed at baseline"),
        [_("Group"), _("People"), _("Baseline mean"), _("Standard deviation")],
    )
    if data is None:
        table.note = _(
            "Not shown: fewer than 5 people in one of the groups, or no one lost to follow-up."
        )
        return table
    table.rows = [
        (
            _("Both scores"),
            [Cell(f"{data['n_stayed']:,}"), Cell(number(data["mean_stayed"])),
             Cell(number(data["sd_stayed"]))],
        ),
        (
            _("Lost to follow-up"),
            [Cell(f"{data['n_lost']:,}"), Cell(number(data["mean_lost"])),
             Cell(number(data["sd_lost"]))],
        ),
    ]  # fmt: skip
    if data["ci_low"] is not None:
        table.note = _(
            "Those lost to follow-up scored %(difference)s points at baseline compared with "
            "those with both scores (95%% CI %(low)s to %(high)s; Welch's t-test %(p)s)."
        ) % {
            "difference": signed(data["difference"]),
            "low": signed(data["ci_low"]),
            "high": signed(data["ci_high"]),
            "p": p_value(data["p_value"]),
        }
    return table


def _overall(report: dict[str, Any], measure: dict[str, Any]) -> Table:
    data = report["overall"]
    figures = data["figures"]
    table = Table("change", _("Change from baseline to follow-up"), [_("Figure"), _("Value")])
    if figures is None:
        table.note = _("Not shown: fewer than 5 people have both scores.")
        return table
    better = _("higher is better") if measure["higher_is_better"] else _("lower is better")
    rows = [
        (_("People with both scores"), _count(data, "paired")),
        (_("Mean at baseline"), Cell(number(figures["mean_before"]))),
        (_("Mean at follow-up"), Cell(number(figures["mean_after"]))),
        (
            _("Mean change, follow-up minus baseline (95%% confidence interval; %(better)s)")
            % {"better": better},
            _change(figures),
        ),
        (_("Standard deviation of the change"), Cell(number(figures["sd_change"]))),
        (
            _("Paired t-test"),
            Cell(
                _("t = %(t)s, %(p)s")
                % {"t": number(figures["t_statistic"], 2), "p": p_value(figures["t_p_value"])}
            ),
        ),
        (
            _("Wilcoxon signed-rank test"),
            Cell(
                _("W = %(w)s, %(p)s")
                % {
                    "w": number(figures["wilcoxon_statistic"], 0),
                    "p": p_value(figures["wilcoxon_p_value"]),
                }
            ),
        ),
        (
            _("Effect size (Cohen's dz: mean change ÷ standard deviation of the change)"),
            Cell(signed(figures["effect_size_dz"], 2)),
        ),
    ]
    if measure["meaningful_change"] is not None:
        rows.append(
            (
                _("Improved by at least %(points)s points (a meaningful change)")
                % {"points": number(measure["meaningful_change"], 1)},
                _improved(data),
            )
        )
    table.rows = [(label, [cell]) for label, cell in rows]
    return table


def csv_rows(report: dict[str, Any], tables: list[Table]) -> list[list[str]]:
    """The tables one after another, each under its caption, with the report's heading and
    the explanation of withheld counts first."""
    rows: list[list[str]] = [
        [_("Evaluation of %(programme)s") % {"programme": report["programme"]["name"]}],
        [_("Score"), report["measure"]["name"]],
        [_("Cases opened"), report["period"]["start"], report["period"]["end"]],
        [explanation(report["threshold"])],
    ]
    for table in tables:
        rows += [[], [table.caption], table.head]
        body = [*table.rows, *([table.total] if table.total else [])]
        rows += [[label, *(c.text for c in cells)] for label, cells in body]
        if table.note:
            rows.append([table.note])
    return rows
