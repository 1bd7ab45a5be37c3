"""Where primitives can appear: axis-aligned bounds, their rectangle on screen (for camera rays)
and their interval across the sun direction (for shadow rays), so each chunk of primitives is
tested only against the rays it can hit."""
import torch

from .gpu_scene import F_CENTRE, F_SIZE, R_A, R_E, R_LEN, R_N

NEAR = 0.05


def prim_bounds(table):
    c, s = table[..., F_CENTRE:F_CENTRE + 3], table[..., F_SIZE:F_SIZE + 3]
    return c - s, c + s


def row_bounds(rows, heights, depths):
    a, e, n, length = rows[..., R_A:R_A + 2], rows[..., R_E:R_E + 2], rows[..., R_N:R_N + 2], rows[..., R_LEN:R_LEN + 1]
    deep = depths.amax(-1, keepdim=True)
    pts = torch.stack([a, a + e * length, a - n * deep, a + e * length - n * deep], -2)
    zero = torch.zeros_like(length)
    lo = torch.cat([pts.amin(-2), zero - 0.5], -1)
    hi = torch.cat([pts.amax(-2), heights.amax(-1, keepdim=True)], -1)
    return lo, hi


def _corners(lo, hi):
    xs = torch.stack([lo[..., 0], hi[..., 0]], -1)[..., :, None, None].expand(lo.shape[:-1] + (2, 2, 2))
    ys = torch.stack([lo[..., 1], hi[..., 1]], -1)[..., None, :, None].expand(lo.shape[:-1] + (2, 2, 2))
    zs = torch.stack([lo[..., 2], hi[..., 2]], -1)[..., None, None, :].expand(lo.shape[:-1] + (2, 2, 2))
    return torch.stack([xs, ys, zs], -1).reshape(lo.shape[:-1] + (8, 3))


def screen_rects(lo, hi, poses, K, height, width):
    """[V, P, 4] int64 pixel rectangles (u0, u1, v0, v1), half-open, that contain the projection of
    each box [V, P, 3]; the whole screen when a box reaches behind the near plane."""
    corners = _corners(lo, hi) - poses[:, None, None, :3, 3]
    R = poses[:, None, None, :3, :3]
    cam = (corners[..., :, None] * R).sum(-2)  # R^T (X - C): camera coordinates
    z = cam[..., 2]
    behind = (z < NEAR).any(-1)
    zc = z.clamp(min=NEAR)
    u = K[:, None, None, 0, 0] * cam[..., 0] / zc + K[:, None, None, 0, 2]
    v = K[:, None, None, 1, 1] * cam[..., 1] / zc + K[:, None, None, 1, 2]
    # pixel i is inside when its centre i + 0.5 is; one pixel of margin for rounding
    u0 = torch.floor(u.amin(-1) - 0.5) - 1
    u1 = torch.ceil(u.amax(-1) - 0.5) + 2
    v0 = torch.floor(v.amin(-1) - 0.5) - 1
    v1 = torch.ceil(v.amax(-1) - 0.5) + 2
    rect = torch.stack([u0.clamp(0, width), u1.clamp(0, width), v0.clamp(0, height), v1.clamp(0, height)], -1)
    full = torch.tensor([0, width, 0, height], dtype=rect.dtype, device=rect.device)
    return torch.where(behind[..., None], full, rect).long()


def sun_basis(sun):
    """Two unit vectors perpendicular to the sun direction [V, 3]."""
    helper = torch.zeros_like(sun)
    helper[:, 0] = 1.0
    helper = torch.where((sun[:, :1].abs() > 0.9), torch.roll(helper, 1, dims=1), helper)
    s1 = torch.nn.functional.normalize(torch.cross(sun, helper, dim=1), dim=1)
    return s1


def sun_intervals(lo, hi, s1):
    """[V, P, 2] extent of each box along s1 [V, 3] (shadow rays only meet boxes whose extent
    contains the ray origin's coordinate, since rays run perpendicular to s1)."""
    proj = (_corners(lo, hi) * s1[:, None, None, :]).sum(-1)
    return torch.stack([proj.amin(-1), proj.amax(-1)], -1)
