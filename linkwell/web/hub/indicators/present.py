"""The indicators' figures as text for the page and the CSV: values with their unit, a
rating in words (never by colour alone), withheld counts as words, never the number."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linkwell.intelligence.indicators.dashboard import Shown
from linkwell.intelligence.indicators.schema import AMBER, GREEN, RED, Indicator

NOTHING = "\u2013"
MINUS = "\u2212"


def rag_text(rag: str) -> str:
    return {
        GREEN: _("Green: on target"),
        AMBER: _("Amber: close to target"),
        RED: _("Red: off target"),
    }.get(rag, _("Not rated"))


def value_text(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return NOTHING
    text = f"{value:,.{indicator.decimals}f}{indicator.unit}"
    return text.replace("-", MINUS, 1) if value < 0 else text


def shown_value(indicator: Indicator, shown: Shown | None) -> str:
    if shown is None:
        return NOTHING
    if shown.value_withheld:
        return _("withheld")
    return value_text(indicator, shown.value)


def count_text(value: float | None, withheld: str) -> str:
    if withheld == "small":
        return _("fewer than 5")
    if withheld:
        return _("withheld")
    if value is None:
        return NOTHING
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def target_text(indicator: Indicator) -> str:
    better = _("higher is better") if indicator.higher_is_better else _("lower is better")
    return f"{value_text(indicator, indicator.target)} ({better})"


def thresholds_text(indicator: Indicator) -> str:
    if indicator.higher_is_better:
        return _("Green at %(green)s or more; red below %(red)s; amber between.") % {
            "green": value_text(indicator, indicator.green),
            "red": value_text(indicator, indicator.red),
        }
    return _("Green at %(green)s or less; red above %(red)s; amber between.") % {
        "green": value_text(indicator, indicator.green),
        "red": value_text(indicator, indicator.red),
    }
