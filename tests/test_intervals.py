"""intervals: the one union of spans that metrics, EQ days and ActivityWatch time share,
checked instant by instant against a brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from taskerlog.intervals import Union, clip, merge, prev_max

spans = st.lists(st.tuples(st.integers(-30, 60), st.integers(-5, 25)), max_size=10).map(
    lambda xs: [(s, s + d) for s, d in xs])  # d <= 0: an empty span


def covered(spans) -> set[int]:
    return {t for s, e in spans for t in range(s, e)}


def test_touching_spans_merge_and_empty_ones_vanish():
    starts, ends = merge([10, 0, 5, 30, 40], [20, 5, 7, 30, 41])
    assert starts.tolist() == [0, 10, 40] and ends.tolist() == [7, 20, 41]
    u = Union([10, 0, 5, 30, 40], [20, 5, 7, 30, 41])
    assert u.length == 7 + 10 + 1 and len(u) == 3
    assert u.within([0, 6, 15, 50], [100, 12, 15, 60]).tolist() == [18, 3, 0, 0]


@settings(max_examples=300, deadline=None)
@given(spans, st.lists(st.tuples(st.integers(-40, 70), st.integers(-5, 40)), max_size=6))
def test_union_against_instant_by_instant(sp, windows):
    u = Union([s for s, _ in sp], [e for _, e in sp])
    inst = covered(sp)
    assert u.length == len(inst)
    assert (np.diff(u.starts) > 0).all() and (u.starts[1:] > u.ends[:-1]).all()  # disjoint, not touching
    for a, d in windows:
        b = a + d
        assert u.before([a]).tolist() == [sum(1 for t in inst if t < a)]
        assert u.within([a], [b]).tolist() == [sum(1 for t in inst if a <= t < b)]


@settings(max_examples=200, deadline=None)
@given(spans)
def test_each_span_share_adds_up_to_the_union(sp):
    sp = sorted(sp)
    s = np.array([a for a, _ in sp], dtype=np.int64)
    e = np.array([b for _, b in sp], dtype=np.int64)
    share = np.maximum(e - np.maximum(s, prev_max(e)), 0)
    assert int(share.sum()) == len(covered(sp))


@settings(max_examples=200, deadline=None)
@given(spans, st.one_of(st.none(), st.integers(-40, 70)), st.one_of(st.none(), st.integers(-40, 70)))
def test_clip_keeps_what_lies_inside_the_window(sp, lo, hi):
    s, e = clip([a for a, _ in sp], [b for _, b in sp], lo, hi)
    inside = {t for t in covered(sp) if (lo is None or t >= lo) and (hi is None or t < hi)}
    assert covered(zip(s.tolist(), e.tolist())) == inside
    assert (e > s).all()
