"""Dilated ResNet encoders (torchvision ResNet v1.5 layout and names), docs/ARCHITECTURE.md "Encoder"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

import torch
from torch import nn

from .layers import conv

BLOCKS_PER_LAYER = {18: (2, 2, 2, 2), 50: (3, 4, 6, 3), 101: (3, 4, 23, 3)}


@dataclass(frozen=True)
class BlockSpec:
    """One residual block with everything needed to build or cost it (mirrors encoderBlocks in config.ts)."""
    layer: int  # 1..4
    index: int  # position in its layer
    basic: bool  # BasicBlock (ResNet-18) or Bottleneck
    in_channels: int
    planes: int
    out_channels: int
    stride: int
    dilation: int  # of the 3x3 conv(s)
    downsample: bool


def block_specs(depth: int, base_width: int, output_stride: int) -> List[BlockSpec]:
    """torchvision ResNet v1.5 with replace_stride_with_dilation: the one description of the layout,
    used by ResNetEncoder and by the cost model."""
    if depth not in BLOCKS_PER_LAYER:
        raise ValueError(f"ResNet depth must be one of {sorted(BLOCKS_PER_LAYER)}, got {depth}")
    if output_stride not in (8, 16):
        raise ValueError(f"output stride must be 8 or 16, got {output_stride}")
    basic = depth == 18
    expansion = 1 if basic else 4
    dilate = (False, False, True, True) if output_stride == 8 else (False, False, False, True)
    in_ch, dilation, specs = base_width, 1, []
    for li, count in enumerate(BLOCKS_PER_LAYER[depth]):
        planes = base_width * 2 ** li
        stride = 1 if li == 0 else 2
        previous_dilation = dilation
        if dilate[li]:
            dilation *= stride
            stride = 1
        out_ch = planes * expansion
        for b in range(count):
            # the first block keeps the previous dilation (torchvision semantics, the contract)
            specs.append(BlockSpec(li + 1, b, basic, in_ch if b == 0 else out_ch, planes, out_ch,
                                   stride if b == 0 else 1, previous_dilation if b == 0 else dilation,
                                   b == 0 and (stride != 1 or in_ch != out_ch)))
        in_ch = out_ch
    return specs


def _rewire(c: nn.Conv2d, stride: int, dilation: int) -> None:
    k = c.kernel_size[0]
    c.stride, c.dilation, c.padding = (stride, stride), (dilation, dilation), (dilation * (k - 1) // 2,) * 2


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_ch: int, planes: int, stride: int, dilation: int, downsample: Optional[nn.Module]):
        super().__init__()
        self.conv1 = conv(in_ch, planes, 3, stride=stride, dilation=dilation)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv(planes, planes, 3, dilation=dilation)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_ch: int, planes: int, stride: int, dilation: int, downsample: Optional[nn.Module]):
        super().__init__()
        self.conv1 = conv(in_ch, planes, 1)
        self.bn1 = nn.BatchNorm2d(planes)
        # v1.5: the stride sits on the 3x3 conv
        self.conv2 = conv(planes, planes, 3, stride=stride, dilation=dilation)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv(planes, planes * 4, 1)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = torch.relu(self.bn1(self.conv1(x)))
        out = torch.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return torch.relu(out + identity)


class ResNetEncoder(nn.Module):
    """ResNet-{18,50,101} ending at output stride 16 or 8 via dilation; `out_channels` = 8w * expansion."""

    def __init__(self, depth: int, base_width: int = 64, output_stride: int = 16):
        super().__init__()
        specs = block_specs(depth, base_width, output_stride)
        block = BasicBlock if depth == 18 else Bottleneck
        w = base_width
        self.conv1 = conv(3, w, 7, stride=2)
        self.bn1 = nn.BatchNorm2d(w)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        for li in range(1, 5):
            setattr(self, f"layer{li}", nn.Sequential(*(self._block(block, s) for s in specs if s.layer == li)))
        self.out_channels = 8 * w * block.expansion
        self.depth = depth
        self.base_width = base_width
        self.output_stride = output_stride
        self._init_weights()

    @staticmethod
    def _block(block, s: BlockSpec) -> nn.Module:
        downsample = None
        if s.downsample:
            downsample = nn.Sequential(conv(s.in_channels, s.out_channels, 1, stride=s.stride), nn.BatchNorm2d(s.out_channels))
        return block(s.in_channels, s.planes, s.stride, s.dilation, downsample)

    def _init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def set_output_stride(self, output_stride: int) -> None:
        """Re-wire strides and dilations in place for another output stride; the weights are the same
        (DeepLabv3 trains at stride 16 and runs at 8). Pre-training at 16 is several times cheaper."""
        for s in block_specs(self.depth, self.base_width, output_stride):
            block = getattr(self, f"layer{s.layer}")[s.index]
            spatial = block.conv1 if s.basic else block.conv2
            _rewire(spatial, s.stride, s.dilation)
            if s.basic:
                _rewire(block.conv2, 1, s.dilation)  # torchvision: both 3x3 of a BasicBlock share the dilation
            if block.downsample is not None:
                block.downsample[0].stride = (s.stride, s.stride)
        self.output_stride = output_stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        return self.layer4(x)
