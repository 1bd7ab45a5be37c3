"""A tiny synthetic ClipDataset for tests of the evaluator and the training loop mechanics.

Frames are smooth random colour fields drifting sideways; labels are a function of the colour
(so a model can learn them) and depth of the row. Not a substitute for the rendered street data.
"""
from __future__ import annotations

import random
from typing import Iterator

import torch

from mila.data import ClipBatch, ClipDataset


class FakeClips(ClipDataset):
    def __init__(self, height: int, width: int, num_classes: int = 3, clips: int = 2, dense: bool = True):
        self.h, self.w, self.n, self.clips = height, width, num_classes, clips
        self.dense_labels = dense

    def _clip(self, seed: int, num_frames: int, start: int) -> ClipBatch:
        g = torch.Generator().manual_seed(seed)
        base = torch.rand(1, 3, self.h // 4 + 1, self.w // 4 + 2 + num_frames + start, generator=g)
        big = torch.nn.functional.interpolate(base, scale_factor=4, mode="bilinear", align_corners=False)[0]
        frames = [big[:, : self.h, s: s + self.w] for s in range(start, start + num_frames)]
        rgb = (torch.stack(frames).permute(0, 2, 3, 1) * 255).round().to(torch.uint8)
        labels = (rgb[..., 0].long() * self.n // 256).clamp(max=self.n - 1)
        depth = (1.0 + torch.arange(self.h, dtype=torch.float32).view(1, self.h, 1)).expand(num_frames, self.h, self.w).clone()
        labels[:, 0, 0] = 255
        depth[:, 0, 1] = 0.0
        if not self.dense_labels:  # only the last frame carries ground truth
            labels[:-1] = 255
            depth[:-1] = 0.0
        return ClipBatch(rgb[None], labels[None], depth[None])

    @staticmethod
    def _cat(parts) -> ClipBatch:
        return ClipBatch(torch.cat([p.rgb for p in parts]), torch.cat([p.labels for p in parts]),
                         torch.cat([p.depth for p in parts]))

    def sample(self, batch_size: int, num_frames: int, rng: random.Random) -> ClipBatch:
        return self._cat([self._clip(rng.randint(0, 10**6), num_frames, rng.randint(0, 5)) for _ in range(batch_size)])

    def eval_batches(self, num_frames: int, batch_size: int) -> Iterator[ClipBatch]:
        for i in range(0, self.clips, batch_size):
            yield self._cat([self._clip(10**7 + j, num_frames, 0) for j in range(i, min(self.clips, i + batch_size))])
