"""A scene's tables as tensors on the render device, and per-view culling into padded lists."""
import functools
from dataclasses import dataclass
from typing import Dict

import numpy as np
import torch

from .blocks import MAX_LOTS
from .city import BLOCK_BUILT, CityLayout, block_kind, block_local, has_open_blocks, street_offsets
from .primitives import KINDS
from .scene import build_scene

# packed primitive fields (float32 columns)
F_CENTRE, F_VEL, F_SIZE, F_LABEL, F_MAT, F_COL1, F_COL2, F_AUX = 0, 3, 6, 9, 10, 11, 14, 17
PRIM_FIELDS = 21
# packed row fields
R_A, R_E, R_N, R_LEN = 0, 2, 4, 6
ROW_FIELDS = 7

# culling ranges (m); shadow casters just outside the view are kept by SHADOW_MARGIN
RANGE = {"box": 140.0, "cyl": 100.0, "ell": 130.0, "cut": 70.0}
ROW_RANGE = 200.0
SHADOW_MARGIN = 12.0
MIN_PIXELS = 0.35  # objects smaller than this on screen are culled
# Objects lower than this are hidden behind buildings (>= 6 m tall) when every line of sight
# from the camera to their footprint crosses a block interior; they are culled then (only for
# cameras below LOW_CAMERA: a higher one looks over low walls into yards).
LOW_OBJECT = 5.0
LOW_CAMERA = 3.0
_LOS_SAMPLES = torch.linspace(0.04, 0.92, 12)


def srgb_to_linear(c: np.ndarray) -> np.ndarray:
    return np.clip(c, 0, 1) ** 2.2


@dataclass
class DeviceScene:
    layout: CityLayout
    prims: Dict[str, torch.Tensor]   # kind -> [n, PRIM_FIELDS]
    rows: torch.Tensor               # [R, ROW_FIELDS]
    bounds: torch.Tensor             # [R, MAX_LOTS + 1]
    heights: torch.Tensor            # [R, MAX_LOTS]
    depths: torch.Tensor             # [R, MAX_LOTS]
    lot_colour: torch.Tensor         # [R, MAX_LOTS, 3] linear
    lot_trim: torch.Tensor           # [R, MAX_LOTS, 3] linear
    lot_style: torch.Tensor          # [R, MAX_LOTS, 4]


@functools.lru_cache(maxsize=64)
def device_scene(seed: int, device: str, layouts: bool = False) -> DeviceScene:
    s = build_scene(seed, layouts)
    f32 = lambda a: torch.as_tensor(np.ascontiguousarray(a), dtype=torch.float32, device=device)
    prims = {}
    for k in KINDS:
        t = s.prims[k]
        packed = np.concatenate([t.centre, t.vel, t.size, t.label[:, None], t.material[:, None],
                                 srgb_to_linear(t.col1), srgb_to_linear(t.col2), t.aux], 1)
        prims[k] = f32(packed.reshape(-1, PRIM_FIELDS))
    rows = s.rows
    return DeviceScene(
        layout=s.layout, prims=prims,
        rows=f32(np.array([np.concatenate([r.a, r.e, r.n, [r.length]]) for r in rows]).reshape(-1, ROW_FIELDS)),
        bounds=f32(np.array([r.bounds for r in rows]).reshape(-1, MAX_LOTS + 1)),
        heights=f32(np.array([r.heights for r in rows]).reshape(-1, MAX_LOTS)),
        depths=f32(np.array([r.depths for r in rows]).reshape(-1, MAX_LOTS)),
        lot_colour=f32(srgb_to_linear(np.array([r.colour for r in rows])).reshape(-1, MAX_LOTS, 3)),
        lot_trim=f32(srgb_to_linear(np.array([r.trim for r in rows])).reshape(-1, MAX_LOTS, 3)),
        lot_style=f32(np.array([r.style for r in rows]).reshape(-1, MAX_LOTS, 4)))


def _pad_select(keep: torch.Tensor):
    """keep [V, n] bool -> indices [V, P] of kept items first, valid [V, P]; P >= 1."""
    counts = keep.sum(1)
    p = max(int(counts.max().item()) if keep.numel() else 0, 1)
    if keep.shape[1] == 0:
        z = torch.zeros(keep.shape[0], 1, dtype=torch.long, device=keep.device)
        return z, torch.zeros_like(z, dtype=torch.bool)
    order = torch.sort((~keep).to(torch.uint8), dim=1, stable=True).indices[:, :p]
    valid = torch.arange(p, device=keep.device)[None] < counts[:, None]
    return order, valid


def _hidden(layout: CityLayout, cam2: torch.Tensor, centre: torch.Tensor, size: torch.Tensor) -> torch.Tensor:
    """[M] bool: all lines of sight from cam2 [M, 2] to the footprint centre and corners of objects
    (centre [M, 3], half size [M, 3]) cross a block interior."""
    offs = torch.tensor([[0, 0], [1, 1], [1, -1], [-1, 1], [-1, -1]], dtype=centre.dtype, device=centre.device)
    targets = centre[:, None, :2] + offs * size[:, None, :2]                 # [M, 5, 2]
    f = _LOS_SAMPLES.to(centre.device)[:, None]                               # [S, 1]
    q = cam2[:, None, None, :] + f * (targets[:, :, None, :] - cam2[:, None, None, :])  # [M, 5, S, 2]
    ax, ay = street_offsets(layout, q[..., 0], q[..., 1])
    inside = torch.minimum(ax, ay) > layout.street_half + 1.5
    if has_open_blocks(layout):  # plazas, parks and parking lots hide nothing
        bx, by, _, _ = block_local(layout, q[..., 0], q[..., 1])
        inside = inside & (block_kind(layout, bx, by) == BLOCK_BUILT)
    return inside.any(-1).all(-1)


def view_prims(scene: DeviceScene, cam_pos: torch.Tensor, cam_fwd: torch.Tensor, times: torch.Tensor,
               tan_half: float, focal: float):
    """Per view: the primitives that may be seen or cast a visible shadow, moved to the view's time.

    cam_pos [V, 3], cam_fwd [V, 3] (optical axis), times [V]. Returns kind -> ([V, P, F], valid [V, P])
    and rows ([V, S, ROW_FIELDS] indices into the scene rows [V, S], valid [V, S])."""
    fwd2 = torch.nn.functional.normalize(cam_fwd[:, :2], dim=1)
    right2 = torch.stack([fwd2[:, 1], -fwd2[:, 0]], 1)
    out = {}
    for kind, table in scene.prims.items():
        centre = table[None, :, F_CENTRE:F_CENTRE + 3] + table[None, :, F_VEL:F_VEL + 3] * times[:, None, None]
        rel = centre[..., :2] - cam_pos[:, None, :2]
        along = (rel * fwd2[:, None]).sum(-1)
        lateral = (rel * right2[:, None]).sum(-1).abs()
        dist = rel.norm(dim=-1)
        rad = table[None, :, F_SIZE:F_SIZE + 3].norm(dim=-1)
        keep = ((dist < RANGE[kind] + rad) & (along > -rad - SHADOW_MARGIN)
                & (lateral < along.clamp(min=0) * tan_half * 1.15 + rad + SHADOW_MARGIN)
                & (rad * focal > MIN_PIXELS * dist))
        low = (table[None, :, F_CENTRE + 2] + table[None, :, F_SIZE + 2]) < LOW_OBJECT
        cand = keep & low & (cam_pos[:, 2:3] < LOW_CAMERA)
        if cand.any():
            sub = cand.nonzero(as_tuple=True)
            hid = _hidden(scene.layout, cam_pos[sub[0], :2], centre[sub], table[sub[1], F_SIZE:F_SIZE + 3])
            keep[sub] = ~hid
        idx, valid = _pad_select(keep)
        picked = table[idx] if table.shape[0] else torch.zeros(idx.shape + (PRIM_FIELDS,), device=table.device)
        picked = picked.clone()
        picked[..., F_CENTRE:F_CENTRE + 3] = picked[..., F_CENTRE:F_CENTRE + 3] + picked[..., F_VEL:F_VEL + 3] * times[:, None, None]
        out[kind] = (picked, valid)
    rows = scene.rows
    a, e, n, length = rows[None, :, R_A:R_A + 2], rows[None, :, R_E:R_E + 2], rows[None, :, R_N:R_N + 2], rows[None, :, R_LEN]
    rel = cam_pos[:, None, :2] - a
    in_front = (rel * n).sum(-1) > 0
    u = ((rel * e).sum(-1)).clamp(min=0)
    u = torch.minimum(u, length)
    closest = a + e * u[..., None]
    dist = (cam_pos[:, None, :2] - closest).norm(dim=-1)
    end = a + e * length[..., None]
    ahead = torch.maximum(((a - cam_pos[:, None, :2]) * fwd2[:, None]).sum(-1),
                          ((end - cam_pos[:, None, :2]) * fwd2[:, None]).sum(-1)) > -SHADOW_MARGIN
    # both ends beyond the same side plane of the view wedge (a convex region): the row is out of view
    out_sides = []
    for pt in (a, end):
        rel_p = pt - cam_pos[:, None, :2]
        along_p = (rel_p * fwd2[:, None]).sum(-1).clamp(min=0)
        lat_p = (rel_p * right2[:, None]).sum(-1)
        reach = along_p * tan_half * 1.15 + SHADOW_MARGIN
        out_sides.append((lat_p < -reach, lat_p > reach))
    outside = (out_sides[0][0] & out_sides[1][0]) | (out_sides[0][1] & out_sides[1][1])
    keep = in_front & (dist < ROW_RANGE) & ahead & ~outside
    ridx, rvalid = _pad_select(keep)
    return out, (ridx, rvalid)
