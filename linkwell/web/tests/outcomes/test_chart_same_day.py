"""A baseline and a follow-up answered on one day still draw a readable date axis."""

import datetime as dt
import warnings

from linkwell.web.outcomes.charts import Series, draw


def test_scores_on_one_day_draw_without_a_date_axis_warning():
    day = dt.date(2026, 12, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = draw(
            [Series(label="SWEMWBS", points=[(day, 15.3), (day, 25.0)])],
            y_label="Score",
            y_range=(7, 35),
        )
    assert svg.startswith(b"<?xml") and b"05 Dec 2026" in svg
