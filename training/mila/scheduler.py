"""Keyframe scheduling (mirrors src/runtime/scheduler.ts) and clip plans for MILA training."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import List, Tuple

MIN_INTERVAL = 1
MAX_INTERVAL = 30


def check_interval(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not MIN_INTERVAL <= k <= MAX_INTERVAL:
        raise ValueError(f"keyframe interval K must be an integer in {MIN_INTERVAL}..{MAX_INTERVAL} (got {k!r})")
    return k


def keyframe_schedule(num_frames: int, k: int, phase: int = 0) -> List[Tuple[int, int]]:
    """(frame index, offset from its keyframe) for frames phase..num_frames-1; keyframes at phase + nK.

    Phase 0 is what the runtime does from the start of a clip; other phases let a sparsely labelled clip
    (one annotated frame) be seen at every offset.
    """
    check_interval(k)
    if not 0 <= phase < k:
        raise ValueError(f"phase must be in 0..K-1 = 0..{k - 1}, got {phase}")
    return [(i, (i - phase) % k) for i in range(phase, num_frames)]


@dataclass(frozen=True)
class ClipPlan:
    """One MILA training clip: `segments` keyframes K apart (filling the MF memory), then fast frames at
    `fast_offsets` after the last keyframe. Frames needed: (segments - 1) * K + max(offsets) + 1."""
    k: int
    segments: int
    fast_offsets: Tuple[int, ...]

    @property
    def num_frames(self) -> int:
        return (self.segments - 1) * self.k + max(self.fast_offsets) + 1

    @property
    def keyframes(self) -> Tuple[int, ...]:
        return tuple(s * self.k for s in range(self.segments))


def sample_clip_plan(rng: random.Random, k_min: int, k_max: int, memory: int, max_fast_frames: int) -> ClipPlan:
    """K uniform in [k_min, k_max] (>= 2: a clip needs a non-keyframe); 1..memory keyframes so that both a
    partly and a fully filled memory are trained; up to `max_fast_frames` distinct offsets in 1..K-1."""
    check_interval(k_min)
    check_interval(k_max)
    if k_min < 2 or k_max < k_min:
        raise ValueError(f"training K range must satisfy 2 <= k_min <= k_max, got {k_min}..{k_max}")
    if memory < 1 or max_fast_frames < 1:
        raise ValueError(f"memory and max_fast_frames must be >= 1, got {memory}, {max_fast_frames}")
    k = rng.randint(k_min, k_max)
    segments = rng.randint(1, memory)
    offsets = sorted(rng.sample(range(1, k), min(max_fast_frames, k - 1)))
    return ClipPlan(k, segments, tuple(offsets))
