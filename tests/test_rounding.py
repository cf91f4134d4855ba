"""money.round_div: the one half-to-even rounding of integer amounts (metrics, exchange,
imported durations), checked against hand-worked halves."""

import numpy as np
import pytest

from taskerlog.money import round_div


@pytest.mark.parametrize(("n", "d", "want"), [
    (5, 2, 2),  # 2.5 → 2 (even)
    (7, 2, 4),  # 3.5 → 4 (even)
    (-5, 2, -2),  # −2.5 → −2
    (-7, 2, -4),  # −3.5 → −4
    (10, 4, 2),  # 2.5 → 2
    (11, 4, 3),  # 2.75 → 3
    (5, -2, -2),  # a negative denominator: −2.5 → −2
    (10**30 + 5, 10, 10**29),  # exact beyond int64: …0.5 → even
])
def test_halves_go_to_the_even_neighbour(n, d, want):
    got = round_div(n, d)
    assert got == want and type(got) is int


def test_arrays_round_element_by_element_in_their_dtype():
    got = round_div(np.array([90_000_000, 150_000_000, 30_000_000, -90_000_000], dtype=np.int64), 60_000_000)
    assert got.dtype == np.int64
    assert got.tolist() == [2, 2, 0, -2]  # 1.5 → 2, 2.5 → 2, 0.5 → 0, −1.5 → −2


def test_a_zero_denominator_is_an_error():
    with pytest.raises(ZeroDivisionError):
        round_div(1, 0)
