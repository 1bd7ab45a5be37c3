"""Analytic GFLOPs per frame (mirrors src/runtime/costModel.ts; 1 multiply-add = 2 FLOPs).

Counted: every convolution (bias, ReLU ignored) and ILA's attention (q.k scores and the weighted sum of
values over M*L*L candidates); pooling, resizes, sigmoid and softmax are ignored.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from .config import ModelConfig, NetConfig
from .resnet import BlockSpec, block_specs


def _out(n: int, stride: int) -> int:
    # symmetric padding dilation*(k-1)/2: floor((n - 1) / stride) + 1 for every k, dilation
    return (n - 1) // stride + 1


def _conv(h: int, w: int, k: int, cin: int, cout: int) -> float:
    return 2.0 * h * w * k * k * cin * cout


def encoder_flops(net: NetConfig, config: ModelConfig, blocks: List[BlockSpec]) -> float:
    """Stem + residual blocks (`blocks`: block_specs of `net`, built once by the caller)."""
    h, w = _out(config.input.height, 2), _out(config.input.width, 2)
    flops = _conv(h, w, 7, 3, net.base_width)
    h, w = _out(h, 2), _out(w, 2)
    for b in blocks:
        ho, wo = _out(h, b.stride), _out(w, b.stride)
        if b.basic:
            flops += _conv(ho, wo, 3, b.in_channels, b.planes) + _conv(ho, wo, 3, b.planes, b.out_channels)
        else:
            flops += (_conv(h, w, 1, b.in_channels, b.planes) + _conv(ho, wo, 3, b.planes, b.planes)
                      + _conv(ho, wo, 1, b.planes, b.out_channels))
        if b.downsample:
            flops += _conv(ho, wo, 1, b.in_channels, b.out_channels)
        h, w = ho, wo
    return flops


def feature_size(config: ModelConfig) -> Tuple[int, int]:
    """[h, w] of the feature map F (the schema makes the input a multiple of the output stride)."""
    return config.input.height // config.output_stride, config.input.width // config.output_stride


def feature_net_flops(net: NetConfig, config: ModelConfig) -> float:
    """Encoder + ASPP + projection to F."""
    h, w = feature_size(config)
    blocks = block_specs(net.depth, net.base_width, config.output_stride)
    flops = encoder_flops(net, config, blocks)
    width = blocks[-1].out_channels
    if net.aspp is not None:
        a = net.aspp.channels
        flops += _conv(h, w, 1, width, a) + 3 * _conv(h, w, 3, width, a) + _conv(1, 1, 1, width, a) + _conv(h, w, 1, 5 * a, a)
        width = a
    return flops + _conv(h, w, 1, width, config.feature_channels)


@dataclass(frozen=True)
class CostModel:
    slow_gflops: float       # keyframe: slow net, decoders, heads, ILA keys
    fast_gflops: float       # non-keyframe: fast net, decoders, ILA with a full memory, fuse, heads
    fast_only_gflops: float  # fast net + decoders (the fast-only baseline)
    ila_gflops: float        # the ILA part of fast_gflops

    def average_gflops(self, k: int) -> float:
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"average_gflops: K must be an integer >= 1 (got {k!r})")
        return (self.slow_gflops + (k - 1) * self.fast_gflops) / k


def cost_model(config: ModelConfig) -> CostModel:
    h, w = feature_size(config)
    c, t, d = config.feature_channels, config.task_channels, config.ila.key_channels
    window, mem = config.ila.window, config.ila.memory
    groups = 2 if config.ila.task_specific else 1
    value_width = t if config.ila.task_specific else 2 * t
    decoders = _conv(h, w, 3, c, t) + _conv(h, w, 1, t, config.segmentation.num_classes) + _conv(h, w, 3, c, t) + _conv(h, w, 1, t, 1)
    keys = groups * _conv(h, w, 1, c, d)
    attention = groups * (_conv(h, w, 1, c, d) + 2.0 * h * w * mem * window * window * (d + value_width))
    fuse = 2 * _conv(h, w, 1, 2 * t, t)
    slow = feature_net_flops(config.slow, config) + decoders + keys
    fast_only = feature_net_flops(config.fast, config) + decoders
    ila = attention + fuse
    g = 1e9
    return CostModel(slow / g, (fast_only + ila) / g, fast_only / g, ila / g)
