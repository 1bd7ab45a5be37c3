"""ASPP of the slow net, docs/ARCHITECTURE.md "ASPP"."""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from .layers import ConvBNReLU


class ImagePooling(nn.Module):
    """Global average -> 1x1 conv with bias (no BN: BN on a 1x1 map breaks batch-1 training) -> ReLU."""

    def __init__(self, in_ch: int, out_ch: int):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 1, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pooled = torch.relu(self.conv(x.mean(dim=(2, 3), keepdim=True)))
        return pooled.expand(-1, -1, x.shape[2], x.shape[3])


class ASPP(nn.Module):
    def __init__(self, in_ch: int, channels: int, rates: Sequence[int]):
        super().__init__()
        if len(rates) != 3:
            raise ValueError(f"ASPP needs 3 rates, got {list(rates)}")
        self.branches = nn.ModuleList([ConvBNReLU(in_ch, channels, 1)] +
                                      [ConvBNReLU(in_ch, channels, 3, dilation=r) for r in rates])
        self.pool = ImagePooling(in_ch, channels)
        self.project = ConvBNReLU(5 * channels, channels, 1)
        self.out_channels = channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = [b(x) for b in self.branches] + [self.pool(x)]
        return self.project(torch.cat(parts, dim=1))
