"""Clip datasets: the interface the trainer and evaluator use, and the rendered-street implementation.

A clip batch is B clips of T consecutive frames: rgb uint8 [B,T,H,W,3], labels int64 [B,T,H,W]
(ignore index = unlabelled), depth float32 [B,T,H,W] metres (0 = no ground truth). Frames without any
ground truth are allowed (Cityscapes labels one frame per snippet); losses and metrics skip them.
"""
from __future__ import annotations

import random
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence

import torch


@dataclass
class ClipBatch:
    rgb: torch.Tensor
    labels: torch.Tensor
    depth: torch.Tensor

    def __post_init__(self) -> None:
        b, t, h, w, c = self.rgb.shape
        if c != 3 or self.rgb.dtype != torch.uint8:
            raise ValueError(f"rgb must be uint8 [B,T,H,W,3], got {self.rgb.dtype} {list(self.rgb.shape)}")
        for name, x in (("labels", self.labels), ("depth", self.depth)):
            if tuple(x.shape) != (b, t, h, w):
                raise ValueError(f"{name} must be [B,T,H,W] = {[b, t, h, w]}, got {list(x.shape)}")

    @property
    def num_frames(self) -> int:
        return int(self.rgb.shape[1])

    def to(self, device) -> "ClipBatch":
        return ClipBatch(self.rgb.to(device), self.labels.to(device), self.depth.to(device))

    @staticmethod
    def concat(batches: Sequence["ClipBatch"]) -> "ClipBatch":
        """The clips of `batches` (same frame count and size) as one batch, in order."""
        return ClipBatch(torch.cat([b.rgb for b in batches]), torch.cat([b.labels for b in batches]),
                         torch.cat([b.depth.to(batches[0].depth.dtype) for b in batches]))

    def frame_has_ground_truth(self, ignore_index: int = 255) -> torch.Tensor:
        """[T] bool: whether any clip has a labelled or depth-valid pixel at frame t."""
        labelled = (self.labels != ignore_index).flatten(2).any(-1)
        depth_ok = (self.depth > 0).flatten(2).any(-1)
        return (labelled | depth_ok).any(0)


class ClipDataset(ABC):
    """Source of training clips and of a fixed evaluation set."""

    #: True when every frame carries ground truth; False when labels are sparse (the evaluator then
    #: runs every keyframe phase so each offset from the keyframe meets a labelled frame).
    dense_labels: bool = True

    @abstractmethod
    def sample(self, batch_size: int, num_frames: int, rng: random.Random) -> ClipBatch:
        """A random training batch of `num_frames` consecutive frames."""

    @abstractmethod
    def eval_batches(self, num_frames: int, batch_size: int) -> Iterator[ClipBatch]:
        """The fixed evaluation clips, `batch_size` at a time."""


class RenderedStreetDataset(ClipDataset):
    """Clips rendered by `mila.street.render_clips` on `device` (a GPU run renders on the GPU: no loaders).

    Rendering is far slower than a training step on the CPU, so training wraps this in a `ClipPool`.
    """

    dense_labels = True

    def __init__(self, seeds: Sequence[int], height: int, width: int, device: str = "cpu",
                 max_start_frame: int = 1500, fps: float = 30.0, max_depth: float = 100.0,
                 num_classes: Optional[int] = None):
        if len(seeds) == 0:
            raise ValueError("RenderedStreetDataset needs at least one seed")
        self.seeds = seeds  # a range is fine (rng.choice indexes it)
        self.height, self.width = height, width
        self.device = device
        self.max_start_frame = max_start_frame
        self.fps = fps
        self.max_depth = max_depth
        self.num_classes = num_classes

    def _render(self, seeds: List[int], num_frames: int, start_frame: int) -> ClipBatch:
        from .street import render_clips  # imported lazily: the renderer is only needed for this dataset

        clip = render_clips(seeds, num_frames, height=self.height, width=self.width, fps=self.fps,
                            device=self.device, max_depth=self.max_depth, start_frame=start_frame)
        labels = torch.as_tensor(clip.labels).long()
        if self.num_classes is not None:
            # classes the model does not predict are unlabelled for it
            labels = torch.where(labels < self.num_classes, labels, torch.full_like(labels, 255))
        return ClipBatch(torch.as_tensor(clip.rgb), labels, torch.as_tensor(clip.depth).float())

    def latest_start(self, num_frames: int) -> int:
        from .street import WORLD_SECONDS

        last = min(self.max_start_frame, int(WORLD_SECONDS * self.fps) - num_frames + 1)
        if last < 0:
            raise ValueError(f"{num_frames} frames exceed a rendered drive ({WORLD_SECONDS:.0f} s at {self.fps} fps)")
        return last

    def sample(self, batch_size: int, num_frames: int, rng: random.Random) -> ClipBatch:
        seeds = [int(rng.choice(self.seeds)) for _ in range(batch_size)]
        return self._render(seeds, num_frames, rng.randint(0, self.latest_start(num_frames)))

    def eval_batches(self, num_frames: int, batch_size: int) -> Iterator[ClipBatch]:
        seeds = [int(s) for s in self.seeds]
        for i in range(0, len(seeds), batch_size):
            yield self._render(seeds[i:i + batch_size], num_frames, 0)


class ClipPool(ClipDataset):
    """Training clips cut from a pool of longer clips of `source`, refreshed a few clips at a time.

    Every `refresh_every` samples, the `refresh_clips` oldest pool clips are replaced by new ones, so
    rendering costs a bounded share of training time while the pool keeps changing.
    """

    def __init__(self, source: ClipDataset, clips: int, frames: int, rng: random.Random,
                 refresh_every: int = 20, refresh_clips: int = 1):
        if clips < 1 or frames < 1:
            raise ValueError(f"a clip pool needs clips >= 1 and frames >= 1, got {clips}, {frames}")
        self.source, self.frames, self.rng = source, frames, rng
        self.refresh_every, self.refresh_clips = refresh_every, min(refresh_clips, clips)
        self.dense_labels = source.dense_labels
        batch = source.sample(clips, frames, rng)
        self.pool: List[ClipBatch] = [ClipBatch(batch.rgb[i:i + 1], batch.labels[i:i + 1], batch.depth[i:i + 1])
                                      for i in range(clips)]
        self._calls = 0

    def _refresh(self) -> None:
        fresh = self.source.sample(self.refresh_clips, self.frames, self.rng)
        new = [ClipBatch(fresh.rgb[i:i + 1], fresh.labels[i:i + 1], fresh.depth[i:i + 1])
               for i in range(self.refresh_clips)]
        self.pool = self.pool[self.refresh_clips:] + new

    def sample(self, batch_size: int, num_frames: int, rng: random.Random) -> ClipBatch:
        if num_frames > self.frames:
            raise ValueError(f"a training clip of {num_frames} frames does not fit the pool's {self.frames}-frame "
                             "clips; raise the pool frames or lower K / the memory")
        self._calls += 1
        if self.refresh_every > 0 and self._calls % self.refresh_every == 0:
            self._refresh()
        parts = []
        for _ in range(batch_size):
            clip = rng.choice(self.pool)
            start = rng.randint(0, self.frames - num_frames)
            sl = slice(start, start + num_frames)
            parts.append((clip.rgb[:, sl], clip.labels[:, sl], clip.depth[:, sl]))
        rgb, labels, depth = (torch.cat(x) for x in zip(*parts))
        return ClipBatch(rgb, labels, depth)

    def eval_batches(self, num_frames: int, batch_size: int) -> Iterator[ClipBatch]:
        return self.source.eval_batches(num_frames, batch_size)


def seeds_overlap(a: Sequence[int], b: Sequence[int]) -> List[int]:
    """A few seeds in both lists (ranges are compared by bounds, without expanding them)."""
    if isinstance(a, range) and isinstance(b, range) and a.step == b.step == 1:
        lo, hi = max(a.start, b.start), min(a.stop, b.stop)
        return list(range(lo, min(hi, lo + 3)))
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return [s for s in small if s in big][:3]


def parse_seed_range(text: str) -> Sequence[int]:
    """'a:b' (half-open range) or 'a,b,c' -> seeds; errors name the flag value."""
    text = text.strip()
    try:
        if ":" in text:
            lo, hi = (int(v) for v in text.split(":"))
            if hi <= lo or lo < 0:
                raise ValueError
            return range(lo, hi)
        seeds = [int(v) for v in text.split(",") if v.strip()]
        if not seeds or min(seeds) < 0:
            raise ValueError
        return seeds
    except ValueError:
        raise ValueError(f"bad seed list {text!r}: use 'start:stop' (0 <= start < stop) or 'a,b,c'") from None


class CachedStreetDataset(ClipDataset):
    """Training and evaluation data read from a rendered-data cache (`mila.render_cache`), in memory.

    Single frames (`num_frames == 1`) come from the singles spread over hundreds of drives; clips
    (`num_frames > 1`) are windows of the consecutive cached clips; evaluation uses the held-out clips.

    `randomized_share` (None: every cached frame alike) draws that share of training samples from the
    domain-randomised units and the rest from the plain ones, so a run can lean on the randomised
    look without rendering a new cache.
    """

    dense_labels = True

    def __init__(self, folder, spec, num_classes: Optional[int] = None,
                 randomized_share: Optional[float] = None):
        from .render_cache import load_units

        def tensors(units):
            arrays = load_units(folder, units)
            labels = torch.from_numpy(arrays["labels"]).long()
            if num_classes is not None:  # classes the model does not predict are unlabelled for it
                labels = torch.where(labels < num_classes, labels, torch.full_like(labels, 255))
            return torch.from_numpy(arrays["rgb"]), labels, torch.from_numpy(arrays["depth"])

        rgb, labels, depth = tensors([("single", s) for s in spec.train_seeds])
        frames_per_single = rgb.shape[1]
        self.singles = (rgb.flatten(0, 1), labels.flatten(0, 1), depth.flatten(0, 1))
        self.clips = tensors([("clip", s) for s in spec.clip_seeds])
        self.evals = tensors([("eval", s) for s in spec.eval_seeds])
        self.seeds = list(spec.train_seeds) + list(spec.clip_seeds)
        self.eval_seeds = list(spec.eval_seeds)
        # whether each single frame / each clip was rendered domain-randomised, as index pools per kind
        randomized = {
            "single": [spec.is_randomized("single", s) for s in spec.train_seeds for _ in range(frames_per_single)],
            "clip": [spec.is_randomized("clip", s) for s in spec.clip_seeds],
        }
        self._pools = {kind: {want: [i for i, r in enumerate(flags) if r == want] for want in (False, True)}
                       for kind, flags in randomized.items()}
        self.randomized_share = randomized_share
        if randomized_share is not None:
            self._check_share(randomized_share)

    def _check_share(self, share: float) -> None:
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"randomized share must be in [0, 1], got {share}")
        for kind, pools in self._pools.items():
            if share > 0 and not pools[True]:
                raise ValueError(f"randomized share {share}: the cache has no domain-randomised {kind} units "
                                 "(its data.randomize.fraction is 0 or missing)")
            if share < 1 and not pools[False]:
                raise ValueError(f"randomized share {share}: the cache has no plain {kind} units to draw the rest from")

    def _pick(self, kind: str, rng: random.Random) -> int:
        """A uniform index, or with a randomized share first a coin for the randomised or plain units."""
        if self.randomized_share is None:
            pools = self._pools[kind]
            return rng.randrange(len(pools[False]) + len(pools[True]))
        pool = self._pools[kind][rng.random() < self.randomized_share]
        return pool[rng.randrange(len(pool))]

    def sample(self, batch_size: int, num_frames: int, rng: random.Random) -> ClipBatch:
        if num_frames == 1:
            idx = torch.as_tensor([self._pick("single", rng) for _ in range(batch_size)])
            return ClipBatch(*(x[idx][:, None] for x in self.singles))
        rgb, labels, depth = self.clips
        frames = rgb.shape[1]
        if num_frames > frames:
            raise ValueError(f"a training clip of {num_frames} frames does not fit the cached {frames}-frame clips; "
                             "raise data.clip_frames or lower K / the memory")
        parts = []
        for _ in range(batch_size):
            c, s = self._pick("clip", rng), rng.randint(0, frames - num_frames)
            parts.append(tuple(x[c, s:s + num_frames] for x in (rgb, labels, depth)))
        return ClipBatch(*(torch.stack(x) for x in zip(*parts)))

    def class_pixel_counts(self, num_classes: int) -> torch.Tensor:
        """Labelled training pixels per class (singles and clips; unlabelled 255 not counted)."""
        counts = torch.zeros(num_classes, dtype=torch.int64)
        for labels in (self.singles[1], self.clips[1]):
            flat = labels.flatten()
            counts += torch.bincount(flat[flat < num_classes], minlength=num_classes)
        return counts

    def eval_batches(self, num_frames: int, batch_size: int) -> Iterator[ClipBatch]:
        rgb, labels, depth = self.evals
        if num_frames > rgb.shape[1]:
            raise ValueError(f"{num_frames} evaluation frames requested; the cache holds {rgb.shape[1]} per clip")
        for i in range(0, rgb.shape[0], batch_size):
            yield ClipBatch(rgb[i:i + batch_size, :num_frames], labels[i:i + batch_size, :num_frames],
                            depth[i:i + batch_size, :num_frames])
