"""The paired figures against SciPy on known data, and a small example worked by hand."""

import math

import numpy as np
import pytest
from scipy import stats

from linkwell.outcomes.evaluation.statistics import compare_baselines, paired


def test_a_small_example_worked_by_hand():
    # Differences 3, 3, 0, 5, 1: mean 12/5 = 2.4; squared deviations 0.36, 0.36, 5.76, 6.76,
    # 1.96 sum to 15.2, so the SD is sqrt(15.2 / 4) = 1.9494; the standard error 1.9494 /
    # sqrt(5) = 0.8718; t(4, 0.975) = 2.7764, so the interval is 2.4 -/+ 2.4204.
    figures = paired([10, 12, 14, 11, 9], [13, 15, 14, 16, 10], meaningful_change=3)

    assert figures.n == 5
    assert figures.mean_before == pytest.approx(11.2)
    assert figures.mean_after == pytest.approx(13.6)
    assert figures.mean_change == pytest.approx(2.4)
    assert figures.sd_change == pytest.approx(math.sqrt(15.2 / 4))
    assert figures.ci_low == pytest.approx(2.4 - 2.7764 * 0.8718, abs=1e-3)
    assert figures.ci_high == pytest.approx(2.4 + 2.7764 * 0.8718, abs=1e-3)
    assert figures.t_statistic == pytest.approx(2.4 / 0.8718, abs=1e-3)
    assert figures.effect_size_dz == pytest.approx(2.4 / 1.9494, abs=1e-4)
    # Three changed by 3 or more (3, 3, 5): exactly the threshold counts.
    assert figures.improved == 3
    assert figures.share_improved == pytest.approx(0.6)
    assert figures.worsened == 0


def test_the_figures_agree_with_scipy_on_known_data():
    rng = np.random.default_rng(15)
    before = rng.normal(45, 8, 300).round()
    after = (before + rng.normal(2.5, 6, 300)).round()

    figures = paired(before, after, meaningful_change=3)
    diff = after - before
    interval = stats.t.interval(0.95, len(diff) - 1, loc=diff.mean(), scale=stats.sem(diff))
    t_test = stats.ttest_rel(after, before)
    wilcoxon = stats.wilcoxon(diff)

    assert figures.mean_change == pytest.approx(diff.mean())
    assert (figures.ci_low, figures.ci_high) == pytest.approx(interval)
    assert figures.t_statistic == pytest.approx(t_test.statistic)
    assert figures.t_p_value == pytest.approx(t_test.pvalue)
    assert figures.wilcoxon_statistic == pytest.approx(wilcoxon.statistic)
    assert figures.wilcoxon_p_value == pytest.approx(wilcoxon.pvalue)
    assert figures.effect_size_dz == pytest.approx(diff.mean() / diff.std(ddof=1))
    assert figures.improved == int((diff >= 3).sum())


def test_where_lower_is_better_a_fall_is_the_improvement():
    # Loneliness: 7 -> 4 is better; 5 -> 8 is worse; 6 -> 5 is too small to count.
    figures = paired([7, 5, 6], [4, 8, 5], higher_is_better=False, meaningful_change=2)

    assert figures.improved == 1
    assert figures.worsened == 1


def test_one_pair_gives_a_change_but_no_interval_or_tests():
    figures = paired([10], [14], meaningful_change=3)

    assert figures.mean_change == 4
    assert figures.ci_low is None and figures.t_p_value is None and figures.wilcoxon_p_value is None
    assert figures.improved == 1


def test_no_change_at_all_gives_no_tests_rather_than_nonsense():
    figures = paired([10, 11, 12], [10, 11, 12])

    assert figures.mean_change == 0
    assert figures.t_p_value is None and figures.wilcoxon_p_value is None
    assert figures.effect_size_dz is None
    assert figures.improved is None  # no meaningful change defined


def test_no_pairs_gives_only_a_count():
    figures = paired([], [])

    assert figures.n == 0 and figures.mean_change is None and figures.share_improved is None


def test_the_baselines_of_those_lost_are_compared_by_welchs_method():
    stayed = [40, 42, 45, 47, 50, 52, 39]
    lost = [35, 38, 36, 41, 33]

    comparison = compare_baselines(stayed, lost)
    welch = stats.ttest_ind(lost, stayed, equal_var=False)

    assert comparison.difference == pytest.approx(np.mean(lost) - np.mean(stayed))
    assert comparison.p_value == pytest.approx(welch.pvalue)
    low, high = welch.confidence_interval(0.95)
    assert (comparison.ci_low, comparison.ci_high) == pytest.approx((low, high))
