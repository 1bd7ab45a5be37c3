"""Small building blocks shared by the network modules."""
from __future__ import annotations

import torch
from torch import nn


def conv(in_ch: int, out_ch: int, k: int, stride: int = 1, dilation: int = 1, bias: bool = False) -> nn.Conv2d:
    """Conv with the contract's symmetric explicit padding `dilation * (k - 1) / 2`."""
    return nn.Conv2d(in_ch, out_ch, k, stride=stride, padding=dilation * (k - 1) // 2,
                     dilation=dilation, bias=bias)


class ConvBNReLU(nn.Module):
    """`conv` (no bias) -> `bn` -> ReLU; the child names are part of the parameter-name contract."""

    def __init__(self, in_ch: int, out_ch: int, k: int, dilation: int = 1):
        super().__init__()
        self.conv = conv(in_ch, out_ch, k, dilation=dilation)
        self.bn = nn.BatchNorm2d(out_ch)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.bn(self.conv(x)))
