"""Per-view scalar parameters (city layout, look) as tensors, so views of different clips render
in one batch."""
from dataclasses import fields
from typing import List

import numpy as np
import torch

from .city import CityLayout
from .scene import StreetScene

LOOK_COLOURS = ("asphalt", "paving", "kerb", "grass", "marking")


def view_params(scenes: List[StreetScene], device) -> dict:
    """One entry per view: 'layout' (CityLayout of [V] tensors), look tensors [V] / [V, 3], 'salt' [V]."""
    f32 = lambda v: torch.as_tensor(np.array(v), dtype=torch.float32, device=device)
    layout = CityLayout(**{f.name: f32([getattr(s.layout, f.name) for s in scenes]) for f in fields(CityLayout)})
    looks = [s.look for s in scenes]
    out = {"layout": layout, "salt": torch.as_tensor([l.salt for l in looks], dtype=torch.long, device=device)}
    for name in LOOK_COLOURS:
        out[name] = f32([np.clip(getattr(l, name), 0, 1) ** 2.2 for l in looks])
    out["zenith"] = f32([l.zenith ** 2.2 for l in looks])
    out["horizon"] = f32([l.horizon ** 2.2 for l in looks])
    for name in ("sun_dir", "sun_col", "ambient", "white_balance"):
        out[name] = f32([getattr(l, name) for l in looks])
    for name in ("clouds", "fog_distance", "exposure", "noise_sigma", "vignette"):
        out[name] = f32([getattr(l, name) for l in looks])
    return out


def per_point(params: dict, index: torch.Tensor) -> dict:
    """Gather per-view parameters for points that belong to views `index` [M]."""
    lay = params["layout"]
    out = {"layout": CityLayout(**{f.name: getattr(lay, f.name)[index] for f in fields(CityLayout)})}
    for k, v in params.items():
        if k != "layout":
            out[k] = v[index]
    return out


def broadcast_layout(params: dict) -> CityLayout:
    """Layout fields shaped [V, 1] to broadcast against [V, N] rays."""
    lay = params["layout"]
    return CityLayout(**{f.name: getattr(lay, f.name)[:, None] for f in fields(CityLayout)})
