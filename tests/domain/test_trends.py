"""The trends' own arithmetic: percentiles by nearest rank and the sparklines' blocks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sla_cli.cli.trend_views import BLOCKS, sparkline
from sla_cli.domain.trends import nearest_rank


def test_nearest_rank_by_hand() -> None:
    assert nearest_rank([], 90) is None
    assert nearest_rank([7], 90) == 7
    # ten values: ceil(0.9 × 10) = the 9th; eleven: ceil(9.9) = the 10th
    assert nearest_rank(list(range(1, 11)), 90) == 9
    assert nearest_rank(list(range(1, 12)), 90) == 10
    assert (
        nearest_rank([240, 15, 180, 45], 90) == 240 and nearest_rank([240, 15, 180, 45], 50) == 45
    )


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=200), st.integers(1, 100))
def test_at_least_the_share_asked_is_at_or_below_the_percentile(
    values: list[int], percent: int
) -> None:
    p = nearest_rank(values, percent)
    assert p in values
    assert sum(v <= p for v in values) * 100 >= percent * len(values)


def test_sparkline_scales_to_the_highest_and_leaves_gaps() -> None:
    assert sparkline([0, 450, 900, None]) == "▁▅█ "
    assert sparkline([50.0, 100.0], top=100) == "▅█"


def test_a_sparkline_of_negative_figures_starts_from_the_lowest() -> None:
    assert sparkline([-2000, 0, 2000]) == "▁▅█"
    assert sparkline([-100.0, -50.0]) == "▁█"  # from the lowest to the highest
    assert sparkline([0, 0]) == "▁▁" and sparkline([None]) == " "


@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6)), min_size=1, max_size=120))
def test_sparkline_is_at_most_24_characters_of_blocks(values: list[float | None]) -> None:
    line = sparkline(values)
    assert len(line) == min(len(values), 24) or (len(values) > 24 and len(line) <= 24)
    assert set(line) <= set(BLOCKS) | {" "}
