"""Adversarial feature alignment (training only): gradient reversal + discriminator, docs "Discriminator"."""
from __future__ import annotations

import torch
from torch import nn


class _GradientReversal(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, scale: float) -> torch.Tensor:
        ctx.scale = scale
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        return -ctx.scale * grad, None


def gradient_reversal(x: torch.Tensor, scale: float = 1.0) -> torch.Tensor:
    """Identity forward; multiplies the gradient by -scale backward (Ganin & Lempitsky)."""
    return _GradientReversal.apply(x, scale)


class Discriminator(nn.Module):
    """`convs.{0,2,4}`: 3x3 convs C -> C/2 -> C/4 -> 1 with ReLU between, global average pool, sigmoid.

    `logits` returns the pre-sigmoid value [B] (for a numerically stable BCE); `forward` the probability
    that the feature came from the slow net.
    """

    def __init__(self, channels: int):
        super().__init__()
        c2, c4 = max(channels // 2, 1), max(channels // 4, 1)
        self.convs = nn.Sequential(nn.Conv2d(channels, c2, 3, padding=1), nn.ReLU(),
                                   nn.Conv2d(c2, c4, 3, padding=1), nn.ReLU(),
                                   nn.Conv2d(c4, 1, 3, padding=1))

    def logits(self, feature: torch.Tensor) -> torch.Tensor:
        return self.convs(feature).mean(dim=(1, 2, 3))

    def forward(self, feature: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(feature))
