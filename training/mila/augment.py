"""Training augmentation as the field trains segmentation: random scale + crop, horizontal flip,
photometric jitter, and random convolutions for the gap between renders and real footage. One
transform per clip, applied identically to every frame of it, so a MILA clip stays a coherent video
(ILA learns real motion, not augmentation noise).

Geometry: the clip is resized by a scale s, then cropped (or padded, with unlabelled / no-depth
pixels) back to the input size. Depth is divided by s: zooming in by s is what the scene looks like
from s times closer (Eigen et al., 2014), so the depth target stays consistent with the image.

Random convolution (RandConv, Xu et al., ICLR 2021): with probability `random_conv` the clip goes through
a random 3->3 convolution of a random size (1x1 recolours, 3-7 px also re-textures), restandardised
to the clip's brightness and contrast and blended with the original by a random weight, so a network
cannot lean on the renderer's exact colours and textures, only on shape and layout, which real
footage shares with the renders. mila-street-v12 trained with it; on the real photos it came out level
with v11, trained without (training/README.md, "GPU runs").
"""
from __future__ import annotations

import dataclasses
import math
import random
from typing import Dict, Optional, Tuple

import torch
import torch.nn.functional as F

from .data import ClipBatch


@dataclasses.dataclass(frozen=True)
class AugmentSpec:
    scale: Tuple[float, float] = (1.0, 1.0)
    hflip: bool = False
    brightness: float = 0.0   # additive, fraction of full range
    contrast: float = 0.0     # multiplicative around the mean, +- fraction
    saturation: float = 0.0   # blend with grey, +- fraction
    gamma: float = 0.0        # exponent exp(+- gamma)
    random_conv: float = 0.0  # probability per clip of a random convolution (RANDOM_CONV_KERNELS)

    @staticmethod
    def from_json(d: Optional[Dict]) -> "AugmentSpec":
        if not d:
            return AugmentSpec()
        unknown = set(d) - {f.name for f in dataclasses.fields(AugmentSpec)}
        if unknown:
            raise ValueError(f"augment: unknown keys {sorted(unknown)}")
        spec = AugmentSpec(**{**d, "scale": tuple(d.get("scale", (1.0, 1.0)))})
        lo, hi = spec.scale
        if not 0.25 <= lo <= hi <= 4.0:
            raise ValueError(f"augment.scale must satisfy 0.25 <= lo <= hi <= 4, got {spec.scale}")
        for name in ("brightness", "contrast", "saturation", "gamma"):
            if not 0.0 <= getattr(spec, name) < 1.0:
                raise ValueError(f"augment.{name} must be in [0, 1), got {getattr(spec, name)}")
        if not 0.0 <= spec.random_conv <= 1.0:
            raise ValueError(f"augment.random_conv is a probability in [0, 1], got {spec.random_conv}")
        return spec

    @property
    def is_identity(self) -> bool:
        return self == AugmentSpec()


def _geometry(rgb: torch.Tensor, labels: torch.Tensor, depth: torch.Tensor, s: float, flip: bool,
              rng: random.Random, ignore_index: int) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One clip: rgb float [T,3,H,W], labels [T,H,W], depth [T,H,W] -> same shapes."""
    # nearest-exact samples pixel centres as bilinear (align_corners=False) does; plain "nearest"
    # floors and shifts labels by up to half a pixel against the RGB
    t, _, h, w = rgb.shape
    if s != 1.0:
        sh, sw = max(1, round(h * s)), max(1, round(w * s))
        rgb = F.interpolate(rgb, size=(sh, sw), mode="bilinear", align_corners=False)
        labels = F.interpolate(labels[:, None].float(), size=(sh, sw), mode="nearest-exact")[:, 0].long()
        depth = F.interpolate(depth[:, None], size=(sh, sw), mode="nearest-exact")[:, 0] / s
        if sh < h or sw < w:  # pad to at least the input size: unlabelled, no depth
            ph, pw = max(0, h - sh), max(0, w - sw)
            rgb = F.pad(rgb, (0, pw, 0, ph), value=0.0)
            labels = F.pad(labels, (0, pw, 0, ph), value=ignore_index)
            depth = F.pad(depth, (0, pw, 0, ph), value=0.0)
        y0 = rng.randint(0, rgb.shape[2] - h)
        x0 = rng.randint(0, rgb.shape[3] - w)
        rgb, labels, depth = (x[..., y0:y0 + h, x0:x0 + w] for x in (rgb, labels, depth))
    if flip:
        rgb, labels, depth = rgb.flip(-1), labels.flip(-1), depth.flip(-1)
    return rgb, labels, depth


def _photometric(rgb: torch.Tensor, spec: AugmentSpec, rng: random.Random) -> torch.Tensor:
    """rgb float [T,3,H,W] in [0,1]."""
    u = lambda a: rng.uniform(-a, a)  # noqa: E731
    if spec.gamma:
        rgb = rgb.clamp(0, 1) ** float(torch.exp(torch.tensor(u(spec.gamma))))
    if spec.contrast:
        mean = rgb.mean(dim=(1, 2, 3), keepdim=True)
        rgb = (rgb - mean) * (1 + u(spec.contrast)) + mean
    if spec.saturation:
        grey = (rgb * torch.tensor([0.299, 0.587, 0.114], device=rgb.device).view(1, 3, 1, 1)).sum(1, keepdim=True)
        rgb = (rgb - grey) * (1 + u(spec.saturation)) + grey
    if spec.brightness:
        rgb = rgb + u(spec.brightness)
    return rgb.clamp(0, 1)


RANDOM_CONV_KERNELS = (1, 3, 5, 7)


def _random_conv(rgb: torch.Tensor, rng: random.Random) -> torch.Tensor:
    """rgb float [T,3,H,W] in [0,1] -> the same clip through one random convolution (every frame alike)."""
    k = rng.choice(RANDOM_CONV_KERNELS)
    gen = torch.Generator().manual_seed(rng.getrandbits(62))
    # He-style scale keeps the output's variance near the input's; reflect padding keeps edges plain
    weight = (torch.randn(3, 3, k, k, generator=gen) / math.sqrt(3 * k * k)).to(rgb.device)
    out = F.conv2d(F.pad(rgb, (k // 2,) * 4, mode="reflect"), weight)
    # back to the clip's own brightness and contrast (all channels together, so the colours do change)
    out = (out - out.mean()) / (out.std() + 1e-6) * rgb.std() + rgb.mean()
    alpha = rng.random()
    return (alpha * rgb + (1 - alpha) * out).clamp(0, 1)


def augment_batch(batch: ClipBatch, spec: AugmentSpec, rng: random.Random, ignore_index: int = 255) -> ClipBatch:
    """A new batch with one random transform per clip (the same for all of that clip's frames), on the
    batch's device (a GPU run augments on the GPU: one Python process could not feed it on the CPU)."""
    if spec.is_identity:
        return batch
    rgbs, labs, deps = [], [], []
    for i in range(batch.rgb.shape[0]):
        rgb = batch.rgb[i].permute(0, 3, 1, 2).float() / 255.0
        s = rng.uniform(*spec.scale)
        flip = spec.hflip and rng.random() < 0.5
        rgb, lab, dep = _geometry(rgb, batch.labels[i], batch.depth[i].float(), s, flip, rng, ignore_index)
        if spec.random_conv and rng.random() < spec.random_conv:
            rgb = _random_conv(rgb, rng)
        rgb = _photometric(rgb, spec, rng)
        rgbs.append((rgb * 255.0 + 0.5).clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1))
        labs.append(lab.to(batch.labels.dtype))
        deps.append(dep)
    return ClipBatch(torch.stack(rgbs), torch.stack(labs), torch.stack(deps))
