import random

import pytest

from mila.scheduler import ClipPlan, keyframe_schedule, sample_clip_plan


def test_keyframe_schedule_offsets_and_phases():
    assert keyframe_schedule(7, 3) == [(0, 0), (1, 1), (2, 2), (3, 0), (4, 1), (5, 2), (6, 0)]
    assert keyframe_schedule(5, 3, phase=2) == [(2, 0), (3, 1), (4, 2)]
    assert keyframe_schedule(3, 1) == [(0, 0), (1, 0), (2, 0)]
    with pytest.raises(ValueError, match="K must be"):
        keyframe_schedule(5, 0)
    with pytest.raises(ValueError, match="phase"):
        keyframe_schedule(5, 3, phase=3)


def test_clip_plan_frames():
    plan = ClipPlan(k=4, segments=2, fast_offsets=(1, 3))
    assert plan.keyframes == (0, 4) and plan.num_frames == 8


def test_sample_clip_plan_ranges():
    rng = random.Random(0)
    plans = [sample_clip_plan(rng, 2, 5, memory=2, max_fast_frames=2) for _ in range(200)]
    assert {p.k for p in plans} == {2, 3, 4, 5}
    assert {p.segments for p in plans} == {1, 2}
    for p in plans:
        assert 1 <= len(p.fast_offsets) <= 2 and all(1 <= o < p.k for o in p.fast_offsets)
        assert list(p.fast_offsets) == sorted(set(p.fast_offsets))
    with pytest.raises(ValueError, match="2 <= k_min"):
        sample_clip_plan(rng, 1, 5, 2, 2)
