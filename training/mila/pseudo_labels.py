"""Pseudo-labels: the slow net's own segmentation and depth on unlabelled frames, as their labels.

On real footage the slow (keyframe) net is the better one, and what MILA needs on the frames between
keyframes is the fast path + ILA agreeing with it. The teacher is the model's own slow-only path
(slow backbone + shared decoders), which must be frozen while it teaches, so its labels do not drift
with the student.
"""
from __future__ import annotations

from typing import Sequence

import torch

from .data import ClipBatch
from .mila_model import MilaModel, normalize_rgb


@torch.no_grad()
def pseudo_label(model: MilaModel, batch: ClipBatch, frames: Sequence[int], threshold: float = 0.0,
                 ignore_index: int = 255, with_depth: bool = True) -> ClipBatch:
    """`batch` with labels and depth of the frames at `frames` set from the slow-only path: the argmax
    class where its softmax probability is at least `threshold` (else `ignore_index`), and its depth
    (unless `with_depth` is False: then depth keeps its values, none for unlabelled footage, and only
    the renders teach depth). Other frames keep their labels, so the losses skip them, and so does a clip
    that has labels of its own (a hand-labelled photo): it keeps them, and takes only the depth."""
    if not 0.0 <= threshold < 1.0:
        raise ValueError(f"pseudo-label threshold must be in [0, 1), got {threshold}")
    if any(p.requires_grad for part in (model.slow, model.decoders) for p in part.parameters()):
        raise ValueError("the pseudo-labelling slow net and decoders must be frozen (freeze policy slow+decoders)")
    frames = sorted(set(frames))
    if not frames or frames[0] < 0 or frames[-1] >= batch.num_frames:
        raise ValueError(f"frames {frames} are outside the clip's 0..{batch.num_frames - 1}")
    was_training = (model.slow.training, model.decoders.training)
    model.slow.eval()
    model.decoders.eval()
    x = normalize_rgb(batch.rgb[:, frames].flatten(0, 1), model.config)
    out = model.run_slow_only(x)
    model.slow.train(was_training[0])
    model.decoders.train(was_training[1])
    prob, cls = out["segmentation"].float().softmax(1).max(1)
    cls = torch.where(prob >= threshold, cls, torch.full_like(cls, ignore_index))
    b, t = batch.rgb.shape[0], len(frames)
    labels, depth = batch.labels.clone(), batch.depth.clone()
    own = (batch.labels != ignore_index).flatten(1).any(1)
    pseudo = cls.view(b, t, *cls.shape[1:]).to(labels.dtype)
    labels[:, frames] = torch.where(own.view(b, 1, 1, 1), labels[:, frames], pseudo)
    if with_depth:
        depth[:, frames] = out["depth"][:, 0].view(b, t, *cls.shape[1:]).to(depth.dtype)
    return ClipBatch(batch.rgb, labels, depth)
