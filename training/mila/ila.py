"""Inter-frame local attention (ILA), docs/ARCHITECTURE.md "ILA".

Layout is PyTorch channels-first: query [B,d,h,w], keys [B,M,d,h,w], values [B,M,T,h,w] -> [B,T,h,w].
Every position attends to an L x L window around itself in each of the M keyframes; candidates outside
the map are masked out (never zero-padded) and one softmax runs jointly over all valid M*L*L candidates.
`ila_attend` gathers windows with `F.unfold` and contracts with einsum (batched matmuls on the GPU);
`ila_attend_naive` is the per-position loop the tests compare it with.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .layers import ConvBNReLU


def _check(query: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, window: int) -> None:
    if window < 1 or window % 2 == 0:
        raise ValueError(f"ILA window must be a positive odd integer, got {window}")
    if query.dim() != 4 or keys.dim() != 5 or values.dim() != 5:
        raise ValueError(f"ILA expects query [B,d,h,w], keys [B,M,d,h,w], values [B,M,T,h,w]; got "
                         f"{list(query.shape)}, {list(keys.shape)}, {list(values.shape)}")
    b, d, h, w = query.shape
    if keys.shape[0] != b or keys.shape[2] != d or keys.shape[3:] != query.shape[2:]:
        raise ValueError(f"ILA keys {list(keys.shape)} do not match query {list(query.shape)}")
    if values.shape[:2] != keys.shape[:2] or values.shape[3:] != query.shape[2:]:
        raise ValueError(f"ILA values {list(values.shape)} do not match keys {list(keys.shape)}")


def window_validity(height: int, width: int, window: int, device=None) -> torch.Tensor:
    """[L*L, h*w] bool: whether candidate `delta` of position p lies inside the map (unfold order)."""
    ones = torch.ones(1, 1, height, width, device=device)
    return F.unfold(ones, window, padding=window // 2)[0] > 0.5


def ila_attend(query: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, window: int) -> torch.Tensor:
    _check(query, keys, values, window)
    b, d, h, w = query.shape
    m, t = keys.shape[1], values.shape[2]
    n, p = window * window, h * w
    pad = window // 2
    # unfold: [B*M, C*n, p], channel-major then window row-major, i.e. delta = (i - pad, j - pad)
    k = F.unfold(keys.reshape(b * m, d, h, w), window, padding=pad).view(b, m, d, n, p)
    v = F.unfold(values.reshape(b * m, t, h, w), window, padding=pad).view(b, m, t, n, p)
    q = query.reshape(b, d, p)
    scores = torch.einsum("bdp,bmdnp->bmnp", q, k) / math.sqrt(d)
    valid = window_validity(h, w, window, query.device).view(1, 1, n, p)
    scores = scores.masked_fill(~valid, float("-inf"))  # the centre is always valid: no empty softmax
    weights = torch.softmax(scores.reshape(b, m * n, p), dim=1).view(b, m, n, p)
    out = torch.einsum("bmnp,bmtnp->btp", weights, v)
    return out.reshape(b, t, h, w)


def ila_attend_naive(query: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, window: int) -> torch.Tensor:
    """Reference: explicit loops over batch, positions, memory slots and window offsets."""
    _check(query, keys, values, window)
    b, d, h, w = query.shape
    m, t = keys.shape[1], values.shape[2]
    r = window // 2
    out = torch.zeros(b, t, h, w, dtype=query.dtype)
    for bi in range(b):
        for y in range(h):
            for x in range(w):
                scores, vals = [], []
                for mi in range(m):
                    for dy in range(-r, r + 1):
                        for dx in range(-r, r + 1):
                            yy, xx = y + dy, x + dx
                            if 0 <= yy < h and 0 <= xx < w:
                                scores.append(float((query[bi, :, y, x] * keys[bi, mi, :, yy, xx]).sum()) / math.sqrt(d))
                                vals.append(values[bi, mi, :, yy, xx])
                top = max(scores)
                ex = [math.exp(s - top) for s in scores]
                total = sum(ex)
                acc = torch.zeros(t, dtype=query.dtype)
                for e, v in zip(ex, vals):
                    acc = acc + (e / total) * v
                out[bi, :, y, x] = acc
    return out


class IlaProjections(nn.Module):
    """`query` and `key` 1x1 convs with bias, C -> d."""

    def __init__(self, in_ch: int, key_ch: int):
        super().__init__()
        self.query = nn.Conv2d(in_ch, key_ch, 1, bias=True)
        self.key = nn.Conv2d(in_ch, key_ch, 1, bias=True)


class IlaTask(nn.Module):
    """Per-task ILA parts: `fuse` (1x1 conv+BN+ReLU, 2T -> T) and, when task-specific, `query`/`key`."""

    def __init__(self, in_ch: int, key_ch: int, task_ch: int, task_specific: bool):
        super().__init__()
        if task_specific:
            self.query = nn.Conv2d(in_ch, key_ch, 1, bias=True)
            self.key = nn.Conv2d(in_ch, key_ch, 1, bias=True)
        self.fuse = ConvBNReLU(2 * task_ch, task_ch, 1)

    def fuse_features(self, fast_task: torch.Tensor, attended: torch.Tensor) -> torch.Tensor:
        return self.fuse(torch.cat([fast_task, attended], dim=1))  # fast first (contract)
