"""Evaluation metrics, normative for the project (docs/ARCHITECTURE.md, "Metrics").

Mirrors ``src/eval/metrics.ts``; both must give the same numbers on the same predictions
(``tests/eval/metricsCrossCheck.test.ts`` feeds both one fixture).

- Confusion matrix over pixels with ``gt != ignore_index`` and ``0 <= gt < num_classes``,
  accumulated over every frame passed to ``update`` (dataset-level).
- IoU_c = TP / (TP + FP + FN); mIoU = mean IoU over classes with at least one gt pixel, in percent.
- Pixel accuracy = sum TP / counted pixels, in percent.
- Depth on valid gt pixels only, i.e. pixels a real depth sensor would measure: gt is valid iff it is
  finite, ``gt > 0`` and ``gt < max_depth`` (the ground truth's max depth; rendered clips store sky / no
  return at exactly ``max_depth``, so at or beyond it there is no measurement). ``max_depth`` is compared
  at float32 precision, the precision gt is stored in (``valid_depth_limit``).
  Abs = mean |pred - gt| (metres), Rel = mean |pred - gt| / gt, over valid pixels.

Inputs may be numpy arrays or torch tensors (any device); torch is not imported here, so the
module also works where torch is absent.
"""
from __future__ import annotations

import math
from typing import Dict, List

import numpy as np

__all__ = ["ConfusionMatrix", "DepthErrors", "valid_depth_limit", "valid_depth_mask"]


def _to_numpy(x, name: str) -> np.ndarray:
    """numpy array from a numpy array, a torch tensor or a nested list."""
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # torch.Tensor, without importing torch
        x = x.detach().cpu().numpy()
    arr = np.asarray(x)
    if arr.dtype == object:
        raise TypeError(f"{name}: expected a numeric array or tensor, got {type(x).__name__}")
    return arr


def _check_same_shape(pred: np.ndarray, gt: np.ndarray) -> None:
    if pred.shape != gt.shape:
        raise ValueError(f"pred shape {tuple(pred.shape)} does not match gt shape {tuple(gt.shape)}")


class ConfusionMatrix:
    """Dataset-level confusion matrix; rows are gt classes, columns predicted classes."""

    def __init__(self, num_classes: int, ignore_index: int = 255):
        if int(num_classes) != num_classes or num_classes < 1:
            raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
        self.num_classes = int(num_classes)
        self.ignore_index = int(ignore_index)
        self.matrix = np.zeros((self.num_classes, self.num_classes), dtype=np.int64)

    def reset(self) -> None:
        self.matrix[:] = 0

    def update(self, pred, gt) -> None:
        """Add one batch/frame of integer label maps (same shape, any rank)."""
        pred = _to_numpy(pred, "pred")
        gt = _to_numpy(gt, "gt")
        _check_same_shape(pred, gt)
        for name, arr in (("pred", pred), ("gt", gt)):
            if not (np.issubdtype(arr.dtype, np.integer) or arr.dtype == np.bool_):
                raise TypeError(f"{name}: expected integer class labels, got dtype {arr.dtype}")
        gt = gt.astype(np.int64).ravel()
        pred = pred.astype(np.int64).ravel()
        n = self.num_classes
        counted = (gt != self.ignore_index) & (gt >= 0) & (gt < n)
        gt = gt[counted]
        pred = pred[counted]
        bad = (pred < 0) | (pred >= n)
        if bad.any():
            raise ValueError(
                f"pred contains class {int(pred[bad][0])} outside [0, {n}) on a labelled pixel"
            )
        self.matrix += np.bincount(gt * n + pred, minlength=n * n).reshape(n, n)

    @property
    def counted_pixels(self) -> int:
        return int(self.matrix.sum())

    def iou_per_class(self) -> np.ndarray:
        """IoU per class in [0, 1]; NaN for classes with no gt pixel (they are not in the mean)."""
        m = self.matrix.astype(np.float64)
        tp = np.diag(m)
        gt_count = m.sum(axis=1)
        union = gt_count + m.sum(axis=0) - tp
        iou = np.full(self.num_classes, np.nan)
        present = gt_count > 0
        iou[present] = tp[present] / union[present]
        return iou

    def miou(self) -> float:
        """Mean IoU over classes with at least one gt pixel, in percent (NaN if none counted)."""
        iou = self.iou_per_class()
        present = ~np.isnan(iou)
        if not present.any():
            return math.nan
        return float(iou[present].mean() * 100.0)

    def class_breakdown(self) -> List[Dict[str, float]]:
        """Per class with ground truth, what became of its pixels (src/eval/metrics.ts classBreakdown,
        the same keys): share of the counted pixels, IoU and recall in percent, and the class it was
        most often drawn as (the first on a tie, as np.argmax)."""
        m = self.matrix.astype(np.float64)
        total = m.sum()
        iou = self.iou_per_class()
        out = []
        for g in range(self.num_classes):
            gt_pixels = m[g].sum()
            if gt_pixels == 0:
                continue
            top = int(np.argmax(m[g]))
            out.append({"classId": g, "gtShare": gt_pixels / total * 100.0, "iou": float(iou[g] * 100.0),
                        "recall": m[g, g] / gt_pixels * 100.0, "mostPredictedAs": top,
                        "mostPredictedShare": m[g, top] / gt_pixels * 100.0})
        return out

    def pixel_accuracy(self) -> float:
        """Correct / counted pixels, in percent (NaN if none counted)."""
        total = self.matrix.sum()
        if total == 0:
            return math.nan
        return float(np.trace(self.matrix) / total * 100.0)


def valid_depth_limit(max_depth: float) -> float:
    """The exclusive upper bound a valid gt depth must stay below: min(max_depth, float32(max_depth)).

    Ground truth is stored as float32, so sky sits at float32(max_depth), which may round below
    max_depth (then ``gt < max_depth`` would count it); taking the smaller of both excludes sky either
    way and, for float32 gt, is the same test as ``gt < max_depth`` in float32 (src/eval/gpuMetrics.ts).
    """
    max_depth = float(max_depth)
    if not max_depth > 0:  # also rejects NaN
        raise ValueError(f"max_depth must be > 0 (math.inf for no limit), got {max_depth!r}")
    return min(max_depth, float(np.float32(max_depth)))


def valid_depth_mask(gt: np.ndarray, max_depth: float) -> np.ndarray:
    """Valid gt depth (normative): finite, > 0 and < max_depth (sky / no return is at max_depth)."""
    gt = np.asarray(gt, dtype=np.float64)
    return np.isfinite(gt) & (gt > 0) & (gt < valid_depth_limit(max_depth))


class DepthErrors:
    """Mean absolute (metres) and relative depth error over valid gt pixels (``valid_depth_mask``).

    ``max_depth`` is the ground truth's max depth (the model config's ``depth.max_depth`` for the rendered
    data, the clip manifest's ``maxDepth`` for a bundled clip); gt at or beyond it is not a measurement.
    ``math.inf`` counts every finite gt > 0. Required: sky at max_depth must never be counted by default.
    """

    def __init__(self, max_depth: float):
        valid_depth_limit(max_depth)  # validates it
        self.max_depth = float(max_depth)
        self.reset()

    def reset(self) -> None:
        self.abs_sum = 0.0
        self.rel_sum = 0.0
        self.count = 0

    def update(self, pred, gt) -> None:
        pred = _to_numpy(pred, "pred").astype(np.float64)
        gt = _to_numpy(gt, "gt").astype(np.float64)
        _check_same_shape(pred, gt)
        valid = valid_depth_mask(gt, self.max_depth)
        err = np.abs(pred[valid] - gt[valid])
        self.abs_sum += float(err.sum())
        self.rel_sum += float((err / gt[valid]).sum())
        self.count += int(valid.sum())

    def abs(self) -> float:
        return self.abs_sum / self.count if self.count else math.nan

    def rel(self) -> float:
        return self.rel_sum / self.count if self.count else math.nan
