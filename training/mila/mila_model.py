"""The MILA model: slow net on keyframes, fast net + ILA between; mirrors src/runtime/milaModel.ts.

Submodule names are the parameter-name contract of docs/ARCHITECTURE.md, so `state_dict()` keys are
the exported names. Tensors are channels-first: input [B,3,H,W] normalised RGB; outputs
{"segmentation": [B,N,H,W] logits, "depth": [B,1,H,W] metres}.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import torch
from torch import nn

from .aspp import ASPP
from .config import TASKS, ModelConfig, NetConfig
from .decoders import TaskDecoder, depth_output, segmentation_output
from .discriminator import Discriminator
from .ila import IlaProjections, IlaTask, ila_attend
from .layers import ConvBNReLU
from .resnet import ResNetEncoder

Outputs = Dict[str, torch.Tensor]


@dataclass
class KeyframeMemoryEntry:
    """What a keyframe leaves for later frames: F, ILA keys (per task or "shared"), values T_key^task."""
    feature: torch.Tensor
    keys: Dict[str, torch.Tensor]
    values: Dict[str, torch.Tensor]

    def detach(self) -> "KeyframeMemoryEntry":
        return KeyframeMemoryEntry(self.feature.detach(), {k: v.detach() for k, v in self.keys.items()},
                                   {k: v.detach() for k, v in self.values.items()})


class Backbone(nn.Module):
    """`encoder` (dilated ResNet) -> optional `aspp` -> `proj` (1x1 conv+BN+ReLU to C): the feature F."""

    def __init__(self, net: NetConfig, output_stride: int, feature_channels: int):
        super().__init__()
        self.encoder = ResNetEncoder(net.depth, net.base_width, output_stride)
        width = self.encoder.out_channels
        if net.aspp is not None:
            self.aspp = ASPP(width, net.aspp.channels, net.aspp.rates)
            width = net.aspp.channels
        else:
            self.aspp = None
        self.proj = ConvBNReLU(width, feature_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.encoder(x)
        if self.aspp is not None:
            x = self.aspp(x)
        return self.proj(x)


def normalize_rgb(rgb: torch.Tensor, config: ModelConfig) -> torch.Tensor:
    """uint8 RGB [..., H, W, 3] -> float [..., 3, H, W] normalised with the config's mean/std."""
    if rgb.shape[-1] != 3:
        raise ValueError(f"expected RGB with a last dimension of 3, got shape {list(rgb.shape)}")
    x = rgb.float().div(255.0)
    mean = torch.tensor(config.input.mean, device=x.device)
    std = torch.tensor(config.input.std, device=x.device)
    return ((x - mean) / std).movedim(-1, -3).contiguous()


class MilaModel(nn.Module):
    def __init__(self, config: ModelConfig, with_discriminator: bool = False):
        super().__init__()
        self.config = config
        c, t = config.feature_channels, config.task_channels
        self.slow = Backbone(config.slow, config.output_stride, c)
        self.fast = Backbone(config.fast, config.output_stride, c)
        self.decoders = nn.ModuleDict({"segmentation": TaskDecoder(c, t, config.segmentation.num_classes),
                                       "depth": TaskDecoder(c, t, 1)})
        ts = config.ila.task_specific
        ila: Dict[str, nn.Module] = {task: IlaTask(c, config.ila.key_channels, t, ts) for task in TASKS}
        if not ts:
            ila["shared"] = IlaProjections(c, config.ila.key_channels)
        self.ila = nn.ModuleDict(ila)
        self.discriminator = Discriminator(c) if with_discriminator else None

    # --- building blocks (also used by the trainer) -------------------------------------------
    def _attention_names(self) -> Sequence[str]:
        return TASKS if self.config.ila.task_specific else ("shared",)

    def _size(self, x: torch.Tensor) -> Tuple[int, int]:
        if x.dim() != 4 or x.shape[1] != 3:
            raise ValueError(f"expected a normalised input [B,3,H,W], got shape {list(x.shape)}")
        return int(x.shape[2]), int(x.shape[3])

    def heads(self, task_features: Dict[str, torch.Tensor], size: Tuple[int, int]) -> Outputs:
        seg = self.decoders["segmentation"].head(task_features["segmentation"])
        dep = self.decoders["depth"].head(task_features["depth"])
        return {"segmentation": segmentation_output(seg, size),
                "depth": depth_output(dep, size, self.config.depth.max_depth)}

    def task_features(self, feature: torch.Tensor) -> Dict[str, torch.Tensor]:
        return {task: self.decoders[task].features(feature) for task in TASKS}

    def decode(self, feature: torch.Tensor, size: Tuple[int, int]) -> Outputs:
        """Decoders directly on F (keyframe and fast-only paths)."""
        return self.heads(self.task_features(feature), size)

    def memory_entry(self, feature: torch.Tensor, task_features: Dict[str, torch.Tensor]) -> KeyframeMemoryEntry:
        keys = {name: self.ila[name].key(feature) for name in self._attention_names()}
        return KeyframeMemoryEntry(feature, keys, dict(task_features))

    def keyframe_from_feature(self, feature: torch.Tensor, size: Tuple[int, int]) -> Tuple[Outputs, KeyframeMemoryEntry]:
        tf = self.task_features(feature)
        return self.heads(tf, size), self.memory_entry(feature, tf)

    def fast_frame_from_feature(self, feature: torch.Tensor, memory: Sequence[KeyframeMemoryEntry],
                                size: Tuple[int, int]) -> Outputs:
        if len(memory) == 0:
            raise ValueError("run_fast_frame needs at least one keyframe in memory")
        memory = list(memory)[: self.config.ila.memory]  # newest first; only the last M count
        window = self.config.ila.window
        fast_tf = self.task_features(feature)
        attended: Dict[str, torch.Tensor] = {}
        if self.config.ila.task_specific:
            for task in TASKS:
                q = self.ila[task].query(feature)
                keys = torch.stack([e.keys[task] for e in memory], dim=1)
                values = torch.stack([e.values[task] for e in memory], dim=1)
                attended[task] = ila_attend(q, keys, values, window)
        else:
            # one attention map, applied to both tasks' values at once
            q = self.ila["shared"].query(feature)
            keys = torch.stack([e.keys["shared"] for e in memory], dim=1)
            values = torch.stack([torch.cat([e.values[t] for t in TASKS], dim=1) for e in memory], dim=1)
            both = ila_attend(q, keys, values, window)
            attended = dict(zip(TASKS, torch.split(both, self.config.task_channels, dim=1)))
        fused = {task: self.ila[task].fuse_features(fast_tf[task], attended[task]) for task in TASKS}
        return self.heads(fused, size)

    # --- the runtime API -----------------------------------------------------------------------
    def run_keyframe(self, x: torch.Tensor) -> Tuple[Outputs, KeyframeMemoryEntry]:
        size = self._size(x)
        return self.keyframe_from_feature(self.slow(x), size)

    def run_fast_frame(self, x: torch.Tensor, memory: Sequence[KeyframeMemoryEntry]) -> Outputs:
        size = self._size(x)
        if len(memory) == 0:
            raise ValueError("run_fast_frame needs at least one keyframe in memory")
        return self.fast_frame_from_feature(self.fast(x), memory, size)

    def run_fast_only(self, x: torch.Tensor) -> Outputs:
        size = self._size(x)
        return self.decode(self.fast(x), size)

    def run_slow_only(self, x: torch.Tensor) -> Outputs:
        size = self._size(x)
        return self.decode(self.slow(x), size)

    def exported_state_dict(self) -> Dict[str, torch.Tensor]:
        """The weights the runtime needs: everything except the discriminator and BN batch counters."""
        return {k: v for k, v in self.state_dict().items()
                if not k.startswith("discriminator.") and not k.endswith("num_batches_tracked")}


def push_memory(memory: List[KeyframeMemoryEntry], entry: KeyframeMemoryEntry, capacity: int) -> List[KeyframeMemoryEntry]:
    """New memory list with `entry` newest first, keeping at most `capacity` entries."""
    return ([entry] + list(memory))[:capacity]
