"""Task losses and task weighting (equal, uncertainty, DWA), docs/ARCHITECTURE.md "Training"."""
from __future__ import annotations

import math
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

WEIGHTINGS = ("equal", "uncertainty", "dwa")
DEPTH_LOSSES = ("l1", "log-l1")
MIN_DEPTH = 1e-3  # metres: floor of the prediction under the log (the head's sigmoid can reach 0)


CLASS_WEIGHTINGS = ("none", "sqrt-inverse-frequency")
MAX_CLASS_WEIGHT = 10.0  # a class seen in a handful of pixels must not dominate the loss


def segmentation_loss(logits: torch.Tensor, labels: torch.Tensor, ignore_index: int = 255,
                      class_weights: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Cross-entropy over labelled pixels, the mean weighted by each pixel's class weight when
    `class_weights` is given (torch's weighted CE); 0 (still differentiable) when a batch has none."""
    labels = labels.long()
    total = F.cross_entropy(logits.float(), labels, weight=class_weights, ignore_index=ignore_index, reduction="sum")
    labelled = labels != ignore_index
    if class_weights is None:
        return total / labelled.sum().clamp(min=1)
    return total / class_weights[labels[labelled]].sum().clamp(min=1e-12)


def class_balanced_weights(counts: torch.Tensor, kind: str) -> Optional[torch.Tensor]:
    """Per-class CE weights from training pixel counts. `sqrt-inverse-frequency`: w_c ∝ f_c^-1/2 (rare
    classes such as poles, signs and people count more, so mIoU rises without giving up the common
    ones), capped at MAX_CLASS_WEIGHT x the smallest and scaled so that the average weight over
    training pixels is 1 (the loss keeps its scale beside the depth loss). Classes absent from the
    counts get the cap. `none`: None (plain CE)."""
    if kind not in CLASS_WEIGHTINGS:
        raise ValueError(f"unknown class weighting {kind!r}; choose one of {CLASS_WEIGHTINGS}")
    if kind == "none":
        return None
    counts = counts.double()
    if counts.sum() <= 0:
        raise ValueError("class weights need labelled training pixels; the counts are all zero")
    freq = counts / counts.sum()
    raw = freq.clamp(min=1e-12).rsqrt()  # an absent class comes out huge, then meets the cap
    raw = torch.minimum(raw, raw[freq > 0].min() * MAX_CLASS_WEIGHT)
    return (raw / (freq * raw).sum()).float()


def depth_loss(pred: torch.Tensor, gt: torch.Tensor, kind: str = "l1") -> torch.Tensor:
    """Mean error over pixels with finite gt > 0. pred [B,1,H,W] or [B,H,W], gt [B,H,W].

    `l1`: |pred - gt| in metres. `log-l1`: |log pred - log gt|, a relative error: it weighs a 1 m
    error at 5 m like 20 m at 100 m, and its scale (~0.1-1) sits beside the segmentation CE, where
    metric L1 (several metres) would let depth drive the shared features."""
    if kind not in DEPTH_LOSSES:
        raise ValueError(f"unknown depth loss {kind!r}; choose one of {DEPTH_LOSSES}")
    if pred.dim() == 4:
        pred = pred[:, 0]
    valid = torch.isfinite(gt) & (gt > 0)
    target = torch.where(valid, gt, torch.ones_like(gt))
    pred = pred.float()
    if kind == "log-l1":
        diff = (torch.log(pred.clamp(min=MIN_DEPTH)) - torch.log(target)).abs()
    else:
        diff = (pred - target).abs()
    return (diff * valid).sum() / valid.sum().clamp(min=1)


class EqualWeighting(nn.Module):
    def __init__(self, tasks: Sequence[str]):
        super().__init__()
        self.tasks = tuple(tasks)

    def weights(self) -> Dict[str, float]:
        return {t: 1.0 for t in self.tasks}

    def forward(self, losses: Dict[str, torch.Tensor]) -> torch.Tensor:
        return sum(losses[t] for t in self.tasks)

    def end_period(self) -> None:
        """Called every `dwa_period` steps; only DWA uses it."""


class UncertaintyWeighting(EqualWeighting):
    """Kendall et al., in MTAN's form: sum_i L_i / (2 exp(s_i)) + s_i / 2, s_i = log sigma_i^2 learned (init 0)."""

    def __init__(self, tasks: Sequence[str]):
        super().__init__(tasks)
        self.log_vars = nn.Parameter(torch.zeros(len(self.tasks)))

    def weights(self) -> Dict[str, float]:
        return {t: float(0.5 * torch.exp(-self.log_vars[i])) for i, t in enumerate(self.tasks)}

    def forward(self, losses: Dict[str, torch.Tensor]) -> torch.Tensor:
        s = self.log_vars
        return sum(0.5 * torch.exp(-s[i]) * losses[t] + 0.5 * s[i] for i, t in enumerate(self.tasks))


class DynamicWeightAverage(EqualWeighting):
    """Liu et al. (MTAN): w_i = n exp(r_i / T) / sum_j exp(r_j / T), r_i = Lbar_i(p-1) / Lbar_i(p-2).

    Lbar_i(p) is the mean loss of task i over period p (MTAN: an epoch; here `dwa_period` steps, since
    training is time-budgeted). Weights are 1 until two periods are complete.
    """

    def __init__(self, tasks: Sequence[str], temperature: float = 2.0):
        super().__init__(tasks)
        if temperature <= 0:
            raise ValueError(f"DWA temperature must be > 0, got {temperature}")
        self.temperature = temperature
        self.history: List[Dict[str, float]] = []
        self._sums = {t: 0.0 for t in self.tasks}
        self._count = 0
        self._weights = {t: 1.0 for t in self.tasks}

    def weights(self) -> Dict[str, float]:
        return dict(self._weights)

    def forward(self, losses: Dict[str, torch.Tensor]) -> torch.Tensor:
        for t in self.tasks:
            self._sums[t] += float(losses[t].detach())
        self._count += 1
        return sum(self._weights[t] * losses[t] for t in self.tasks)

    def end_period(self) -> None:
        if self._count == 0:
            return
        self.history = (self.history + [{t: self._sums[t] / self._count for t in self.tasks}])[-2:]
        self._sums = {t: 0.0 for t in self.tasks}
        self._count = 0
        if len(self.history) == 2:
            prev, last = self.history
            ratios = {t: last[t] / max(prev[t], 1e-12) for t in self.tasks}
            ex = {t: math.exp(ratios[t] / self.temperature) for t in self.tasks}
            total = sum(ex.values())
            self._weights = {t: len(self.tasks) * ex[t] / total for t in self.tasks}


def make_weighting(name: str, tasks: Sequence[str]) -> EqualWeighting:
    if name == "equal":
        return EqualWeighting(tasks)
    if name == "uncertainty":
        return UncertaintyWeighting(tasks)
    if name == "dwa":
        return DynamicWeightAverage(tasks)
    raise ValueError(f"unknown task weighting {name!r}; choose one of {WEIGHTINGS}")


def adversarial_loss(slow_logits: torch.Tensor, fast_logits: torch.Tensor) -> torch.Tensor:
    """Discriminator BCE: slow features are labelled 1, fast 0 (fed through gradient reversal upstream)."""
    return 0.5 * (F.binary_cross_entropy_with_logits(slow_logits.float(), torch.ones_like(slow_logits, dtype=torch.float32))
                  + F.binary_cross_entropy_with_logits(fast_logits.float(), torch.zeros_like(fast_logits, dtype=torch.float32)))
