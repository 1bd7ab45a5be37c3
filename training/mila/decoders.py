"""Task decoders shared by slow and fast, docs/ARCHITECTURE.md "Task decoders"."""
from __future__ import annotations

from typing import Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .layers import conv


class TaskDecoder(nn.Module):
    """`conv`+`bn`+ReLU: C -> T (the task feature); `head`: 1x1 with bias, T -> out_channels."""

    def __init__(self, in_ch: int, task_ch: int, out_ch: int):
        super().__init__()
        self.conv = conv(in_ch, task_ch, 3)
        self.bn = nn.BatchNorm2d(task_ch)
        self.head = nn.Conv2d(task_ch, out_ch, 1, bias=True)

    def features(self, f: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.bn(self.conv(f)))


def resize(x: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    """Bilinear, align_corners=False (tfjs halfPixelCenters=true)."""
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


def segmentation_output(raw: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    """Head output -> logits [B,N,H,W] at the input size."""
    return resize(raw, size)


def depth_output(raw: torch.Tensor, size: Tuple[int, int], max_depth: float) -> torch.Tensor:
    """Head output -> metres [B,1,H,W]: maxDepth * sigmoid, applied after the resize (as the runtime)."""
    return max_depth * torch.sigmoid(resize(raw, size))
