"""Paired before-and-after figures for an evaluation: what changed on average, how sure we
can be of it, and how many changed by enough to matter.

Every figure is worked out on the differences (follow-up minus baseline) of the people with
both scores. The effect size is Cohen's d_z: the mean difference over the standard deviation
of the differences (not over the baseline's spread, which is Cohen's d_av), because it is the
one a paired t-test's power is computed from and the one the numbers here can give exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


@dataclass(frozen=True)
class PairedFigures:
    """Figures for n pairs. Those that need two pairs or more (the spread, the interval, the
    tests, the effect size) are None below that, and so are tests that cannot be worked out
    (every difference the same, or every one zero)."""

    n: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    sd_change: float | None
    ci_low: float | None
    ci_high: float | None
    t_statistic: float | None
    t_p_value: float | None
    wilcoxon_statistic: float | None
    wilcoxon_p_value: float | None
    effect_size_dz: float | None
    # Changed by at least the instrument's smallest meaningful change, in the better direction
    # (None when the instrument names no meaningful change).
    improved: int | None
    worsened: int | None

    @property
    def share_improved(self) -> float | None:
        if self.improved is None or not self.n:
            return None
        return self.improved / self.n


def _number(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def paired(
    before: np.ndarray | list[float],
    after: np.ndarray | list[float],
    *,
    higher_is_better: bool = True,
    meaningful_change: float | None = None,
    with_tests: bool = True,
) -> PairedFigures:
    """The paired figures of scores `before` and `after` (same order, one pair a person).

    The 95% interval of the mean change uses the t distribution with n - 1 degrees of freedom;
    the t-test and the Wilcoxon signed-rank test are SciPy's, two-sided (Wilcoxon drops zero
    differences, as in Wilcoxon's own method; SciPy chooses the exact distribution for up to
    50 pairs without ties, else the normal approximation). A change counts as meaningful when
    its size is at least `meaningful_change` in the better direction (lower, for a score where
    lower is better). `with_tests=False` leaves the tests out (a breakdown's many groups show
    the interval, not the p-values)."""
    x = np.asarray(before, dtype=float)
    y = np.asarray(after, dtype=float)
    if x.shape != y.shape:
        raise ValueError("before and after must pair up one to one")
    n = int(x.size)
    if n == 0:
        return PairedFigures(0, *([None] * 11), None, None)
    diff = y - x
    mean = float(diff.mean())
    improved = worsened = None
    if meaningful_change is not None:
        better = diff if higher_is_better else -diff
        # A small tolerance: a change of exactly the threshold, read from floats, counts.
        tolerance = 1e-9 * max(1.0, abs(meaningful_change))
        improved = int(np.count_nonzero(better >= meaningful_change - tolerance))
        worsened = int(np.count_nonzero(-better >= meaningful_change - tolerance))
    sd = ci_low = ci_high = t_stat = t_p = w_stat = w_p = dz = None
    if n >= 2:
        sd = float(diff.std(ddof=1))
        se = sd / math.sqrt(n)
        margin = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1)) * se
        ci_low, ci_high = mean - margin, mean + margin
        if sd > 0:
            dz = mean / sd
            if with_tests:
                test = stats.ttest_rel(y, x)
                t_stat, t_p = _number(test.statistic), _number(test.pvalue)
        if with_tests and np.any(diff != 0):
            w_stat, w_p = _wilcoxon(diff)
    return PairedFigures(
        n=n,
        mean_before=float(x.mean()),
        mean_after=float(y.mean()),
        mean_change=mean,
        sd_change=sd,
        ci_low=ci_low,
        ci_high=ci_high,
        t_statistic=t_stat,
        t_p_value=t_p,
        wilcoxon_statistic=w_stat,
        wilcoxon_p_value=w_p,
        effect_size_dz=dz,
        improved=improved,
        worsened=worsened,
    )


def _wilcoxon(diff: np.ndarray) -> tuple[float | None, float | None]:
    result = stats.wilcoxon(diff, zero_method="wilcox")
    return _number(result.statistic), _number(result.pvalue)


@dataclass(frozen=True)
class BaselineComparison:
    """How those who were lost to follow-up differed at baseline from those who stayed:
    each group's size, mean and spread, and the difference (lost minus stayed) with its 95%
    interval by Welch's method (the groups' spreads are not assumed equal)."""

    n_stayed: int
    mean_stayed: float | None
    sd_stayed: float | None
    n_lost: int
    mean_lost: float | None
    sd_lost: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


def compare_baselines(
    stayed: np.ndarray | list[float], lost: np.ndarray | list[float]
) -> BaselineComparison:
    a = np.asarray(stayed, dtype=float)
    b = np.asarray(lost, dtype=float)

    def mean_sd(values: np.ndarray) -> tuple[float | None, float | None]:
        if values.size == 0:
            return None, None
        return float(values.mean()), (float(values.std(ddof=1)) if values.size > 1 else None)

    mean_a, sd_a = mean_sd(a)
    mean_b, sd_b = mean_sd(b)
    difference = ci_low = ci_high = p = None
    if mean_a is not None and mean_b is not None:
        difference = mean_b - mean_a
    if sd_a is not None and sd_b is not None and (sd_a > 0 or sd_b > 0):
        va, vb = sd_a**2 / a.size, sd_b**2 / b.size
        se = math.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
        margin = float(stats.t.ppf(0.5 + CONFIDENCE / 2, df)) * se
        ci_low, ci_high = difference - margin, difference + margin
        p = _number(stats.ttest_ind(b, a, equal_var=False).pvalue)
    return BaselineComparison(
        n_stayed=int(a.size),
        mean_stayed=mean_a,
        sd_stayed=sd_a,
        n_lost=int(b.size),
        mean_lost=mean_b,
        sd_lost=sd_b,
        difference=difference,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p,
    )
