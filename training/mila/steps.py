"""One training step per stage, each an nn.Module so DistributedDataParallel can wrap it.

Stage -> what runs (see training/README.md "Staged schedule"):
- pretrain-slow: D101-MultiTask = `model.slow` + `model.decoders` on single frames.
- pretrain-fast: D18-MultiTask = `model.fast` + its own decoders (`fast_decoders`, not exported).
- mila: keyframes through the slow net, frames at offsets 1..K-1 through fast + ILA against the memory,
  every frame supervised, plus the adversarial loss on F through gradient reversal and (optionally) the
  fast-only path through the shared decoders, which the runtime's fast-only mode uses.
"""
from __future__ import annotations

from contextlib import nullcontext
from typing import Dict, List, Optional, Tuple

import torch
from torch import nn

from .config import TASKS
from .data import ClipBatch
from .decoders import depth_output, segmentation_output
from .discriminator import gradient_reversal
from .losses import EqualWeighting, adversarial_loss, depth_loss, segmentation_loss
from .mila_model import Backbone, KeyframeMemoryEntry, MilaModel, normalize_rgb, push_memory
from .scheduler import ClipPlan


def autocast_for(device: torch.device, enabled: bool):
    """bf16 autocast on CUDA when enabled; nothing elsewhere (CPU runs stay fp32)."""
    if enabled and device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return nullcontext()


class SingleFrameNet(nn.Module):
    """A single-frame multi-task net (D101-/D18-MultiTask): backbone -> task decoders -> outputs."""

    def __init__(self, backbone: Backbone, decoders: nn.ModuleDict, max_depth: float):
        super().__init__()
        self.backbone = backbone
        self.decoders = decoders
        self.max_depth = max_depth

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        size = (int(x.shape[2]), int(x.shape[3]))
        f = self.backbone(x)
        seg = self.decoders["segmentation"].head(self.decoders["segmentation"].features(f))
        dep = self.decoders["depth"].head(self.decoders["depth"].features(f))
        return {"segmentation": segmentation_output(seg, size), "depth": depth_output(dep, size, self.max_depth)}


class TaskLosses(nn.Module):
    """Each task's loss of one output against its labels: CE (per-class weights optional, ignore index)
    and the depth loss of `depth_kind`; one object holds the loss options for every step."""

    def __init__(self, ignore_index: int, depth_kind: str = "l1", class_weights: Optional[torch.Tensor] = None):
        super().__init__()
        self.ignore_index = ignore_index
        self.depth_kind = depth_kind
        self.register_buffer("class_weights", class_weights, persistent=False)  # moves with .to(device)

    def forward(self, out: Dict[str, torch.Tensor], labels: torch.Tensor, depth: torch.Tensor) -> Dict[str, torch.Tensor]:
        return {"segmentation": segmentation_loss(out["segmentation"], labels, self.ignore_index, self.class_weights),
                "depth": depth_loss(out["depth"], depth, self.depth_kind)}


class SingleFrameStep(nn.Module):
    """Pre-training step: every frame of the batch is an independent sample."""

    def __init__(self, net: SingleFrameNet, weighting: EqualWeighting, config,
                 task_losses: Optional[TaskLosses] = None):
        super().__init__()
        self.net = net
        self.weighting = weighting
        self.config = config
        self.task_losses = task_losses or TaskLosses(config.segmentation.ignore_index)

    def forward(self, batch: ClipBatch, amp: bool) -> Tuple[torch.Tensor, Dict[str, float]]:
        b, t = batch.rgb.shape[:2]
        x = normalize_rgb(batch.rgb.flatten(0, 1), self.config)
        with autocast_for(x.device, amp):
            out = self.net(x)
        losses = self.task_losses(out, batch.labels.flatten(0, 1), batch.depth.flatten(0, 1))
        total = self.weighting(losses)
        return total, {k: float(v.detach()) for k, v in losses.items()}


def mean_of_counted(values: List[torch.Tensor], counted: List[bool]) -> torch.Tensor:
    """Mean of the losses of frames that have ground truth; of all (zeros, still differentiable) when none has."""
    kept = [v for v, c in zip(values, counted) if c] or values
    return torch.stack(kept).mean()


class MilaClipStep(nn.Module):
    """MILA step on one clip batch, following `plan` (K, keyframes, fast offsets)."""

    def __init__(self, model: MilaModel, weighting: EqualWeighting, train_slow: bool,
                 adv_weight: float, fast_only_weight: float, task_losses: Optional[TaskLosses] = None):
        super().__init__()
        self.task_losses = task_losses or TaskLosses(model.config.segmentation.ignore_index)
        if adv_weight > 0 and model.discriminator is None:
            raise ValueError("adversarial weight > 0 needs a MilaModel built with_discriminator=True")
        self.model = model
        self.weighting = weighting
        self.train_slow = train_slow
        self.adv_weight = adv_weight
        self.fast_only_weight = fast_only_weight

    def forward(self, batch: ClipBatch, plan: ClipPlan, amp: bool) -> Tuple[torch.Tensor, Dict[str, float]]:
        m, cfg = self.model, self.model.config
        if batch.num_frames < plan.num_frames:
            raise ValueError(f"clip has {batch.num_frames} frames, the plan needs {plan.num_frames}")
        size = (int(batch.rgb.shape[2]), int(batch.rgb.shape[3]))
        frame = lambda i: normalize_rgb(batch.rgb[:, i], cfg)  # noqa: E731
        losses_at = lambda out, i: self.task_losses(out, batch.labels[:, i], batch.depth[:, i])  # noqa: E731
        # frames without any label or depth (a keyframe of pseudo-labelled footage, a sparse dataset's
        # unlabelled frames) add no loss and do not dilute the mean of the frames that have them
        has_gt = batch.frame_has_ground_truth(cfg.segmentation.ignore_index).tolist()
        sums: Dict[str, List[torch.Tensor]] = {t: [] for t in TASKS}
        fast_only: Dict[str, List[torch.Tensor]] = {t: [] for t in TASKS}
        counted: List[bool] = []
        slow_feats, fast_feats = [], []
        memory: List[KeyframeMemoryEntry] = []
        device = batch.rgb.device
        with autocast_for(device, amp):
            for key in plan.keyframes:
                with torch.set_grad_enabled(self.train_slow and torch.is_grad_enabled()):
                    f_slow = m.slow(frame(key))
                slow_feats.append(f_slow)
                out, entry = m.keyframe_from_feature(f_slow, size)
                for t, v in losses_at(out, key).items():
                    sums[t].append(v)
                counted.append(has_gt[key])
                memory = push_memory(memory, entry, cfg.ila.memory)
            last_key = plan.keyframes[-1]
            for off in plan.fast_offsets:
                i = last_key + off
                f_fast = m.fast(frame(i))
                fast_feats.append(f_fast)
                out = m.fast_frame_from_feature(f_fast, memory, size)
                for t, v in losses_at(out, i).items():
                    sums[t].append(v)
                counted.append(has_gt[i])
                if self.fast_only_weight > 0:
                    alone = m.decode(f_fast, size)
                    for t, v in losses_at(alone, i).items():
                        fast_only[t].append(v)
            losses = {t: mean_of_counted(sums[t], counted) for t in TASKS}
            if self.fast_only_weight > 0:
                fast_counted = counted[len(plan.keyframes):]
                losses = {t: losses[t] + self.fast_only_weight * mean_of_counted(fast_only[t], fast_counted)
                          for t in TASKS}
            total = self.weighting(losses)
            logs = {k: float(v.detach()) for k, v in losses.items()}
            if self.adv_weight > 0:
                d = m.discriminator
                # the reversed gradient pushes the encoders to make slow and fast F indistinguishable
                slow_logits = torch.cat([d.logits(gradient_reversal(f.float())) for f in slow_feats])
                fast_logits = torch.cat([d.logits(gradient_reversal(f.float())) for f in fast_feats])
                adv = adversarial_loss(slow_logits, fast_logits)
                total = total + self.adv_weight * adv
                logs["adversarial"] = float(adv.detach())
        return total, logs
