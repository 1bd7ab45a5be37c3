"""Dilated ResNet encoders (torchvision ResNet v1.5 layout and names), docs/ARCHITECTURE.md "Encoder"."""
from __future__ import annotations

from typing import List, Optional

import torch
from torch import nn

from .layers import conv

BLOCKS_PER_LAYER = {18: (2, 2, 2, 2), 50: (3, 4, 6, 3), 101: (3, 4, 23, 3)}


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
        if depth not in BLOCKS_PER_LAYER:
            raise ValueError(f"ResNet depth must be one of {sorted(BLOCKS_PER_LAYER)}, got {depth}")
        if output_stride not in (8, 16):
            raise ValueError(f"output stride must be 8 or 16, got {output_stride}")
        block = BasicBlock if depth == 18 else Bottleneck
        w = base_width
        # torchvision replace_stride_with_dilation for layer2..4
        dilate = (False, True, True) if output_stride == 8 else (False, False, True)
        self.conv1 = conv(3, w, 7, stride=2)
        self.bn1 = nn.BatchNorm2d(w)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self._in_ch = w
        self._dilation = 1
        counts = BLOCKS_PER_LAYER[depth]
        self.layer1 = self._make_layer(block, w, counts[0], 1, False)
        self.layer2 = self._make_layer(block, 2 * w, counts[1], 2, dilate[0])
        self.layer3 = self._make_layer(block, 4 * w, counts[2], 2, dilate[1])
        self.layer4 = self._make_layer(block, 8 * w, counts[3], 2, dilate[2])
        self.out_channels = 8 * w * block.expansion
        self.depth = depth
        self.output_stride = output_stride
        self._init_weights()

    def _make_layer(self, block, planes: int, count: int, stride: int, dilate: bool) -> nn.Sequential:
        previous_dilation = self._dilation
        if dilate:
            self._dilation *= stride
            stride = 1
        downsample = None
        if stride != 1 or self._in_ch != planes * block.expansion:
            downsample = nn.Sequential(conv(self._in_ch, planes * block.expansion, 1, stride=stride),
                                       nn.BatchNorm2d(planes * block.expansion))
        # the first block keeps the previous dilation (torchvision semantics, the contract)
        blocks: List[nn.Module] = [block(self._in_ch, planes, stride, previous_dilation, downsample)]
        self._in_ch = planes * block.expansion
        for _ in range(1, count):
            blocks.append(block(self._in_ch, planes, 1, self._dilation, None))
        return nn.Sequential(*blocks)

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
        if output_stride not in (8, 16):
            raise ValueError(f"output stride must be 8 or 16, got {output_stride}")
        dilate = (False, True, True) if output_stride == 8 else (False, False, True)
        dilation = 1
        for layer, dil in zip((self.layer2, self.layer3, self.layer4), dilate):
            previous, stride = dilation, 2
            if dil:
                dilation, stride = dilation * 2, 1
            for i, block in enumerate(layer):
                spatial = block.conv2 if isinstance(block, Bottleneck) else block.conv1
                _rewire(spatial, stride if i == 0 else 1, previous if i == 0 else dilation)
                if isinstance(block, BasicBlock):
                    _rewire(block.conv2, 1, previous if i == 0 else dilation)  # torchvision: both 3x3 of the first block
                if i == 0 and block.downsample is not None:
                    block.downsample[0].stride = (stride, stride)
        self.output_stride = output_stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        return self.layer4(x)
