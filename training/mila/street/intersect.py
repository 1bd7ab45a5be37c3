"""Vectorised ray intersections. Rays: origins o [V, No, 3] (No = 1 or N), directions d [V, N, 3].
Primitives: packed [V, c, F] (see gpu_scene). Each function returns distances t [V, c, N]
(inf where missed) for one chunk of primitives."""
import torch

from .gpu_scene import F_AUX, F_CENTRE, F_SIZE, R_A, R_E, R_LEN, R_N
from .primitives import CUT_BICYCLE

INF = float("inf")
EPS = 1e-3


def _split(o, d, prm):
    return o[:, None], d[:, None], prm[:, :, None, :]


def box_t(o, d, prm, inv_d):
    O, _, P = _split(o, d, prm)
    c, s = P[..., F_CENTRE:F_CENTRE + 3], P[..., F_SIZE:F_SIZE + 3]
    inv = inv_d[:, None]
    t1 = (c - s - O) * inv
    t2 = (c + s - O) * inv
    tn = torch.minimum(t1, t2).amax(-1)
    tf = torch.maximum(t1, t2).amin(-1)
    hit = (tn <= tf) & (tn > EPS)
    return torch.where(hit, tn, torch.full_like(tn, INF))


def cyl_t(o, d, prm, inv_d):
    O, D, P = _split(o, d, prm)
    c, s = P[..., F_CENTRE:F_CENTRE + 3], P[..., F_SIZE:F_SIZE + 3]
    ox, oy = O[..., 0] - c[..., 0], O[..., 1] - c[..., 1]
    dx, dy = D[..., 0], D[..., 1]
    a = (dx * dx + dy * dy).clamp(min=1e-12)
    b = ox * dx + oy * dy
    cc = ox * ox + oy * oy - s[..., 0] * s[..., 0]
    disc = b * b - a * cc
    t = (-b - disc.clamp(min=0).sqrt()) / a
    z = O[..., 2] + t * D[..., 2]
    hit = (disc > 0) & (t > EPS) & ((z - c[..., 2]).abs() <= s[..., 2])
    return torch.where(hit, t, torch.full_like(t, INF))


def ell_t(o, d, prm, inv_d):
    O, D, P = _split(o, d, prm)
    c, s = P[..., F_CENTRE:F_CENTRE + 3], P[..., F_SIZE:F_SIZE + 3]
    ox, oy, oz = [(O[..., i] - c[..., i]) / s[..., i] for i in range(3)]
    dx, dy, dz = [D[..., i] / s[..., i] for i in range(3)]
    a = dx * dx + dy * dy + dz * dz
    b = ox * dx + oy * dy + oz * dz
    cc = ox * ox + oy * oy + oz * oz - 1
    disc = b * b - a * cc
    t = (-b - disc.clamp(min=0).sqrt()) / a
    hit = (disc > 0) & (t > EPS)
    return torch.where(hit, t, torch.full_like(t, INF))


def cut_coords(O, D, P, t):
    """In-plane coordinates (u along the plane from its start, z from the centre) of points at t."""
    c, s = P[..., F_CENTRE:F_CENTRE + 3], P[..., F_SIZE:F_SIZE + 3]
    along_x = P[..., F_AUX] > 0.5  # normal along y -> the plane runs along x
    pu = torch.where(along_x, O[..., 0] + t * D[..., 0], O[..., 1] + t * D[..., 1])
    cu = torch.where(along_x, c[..., 0], c[..., 1])
    su = torch.where(along_x, s[..., 0], s[..., 1])
    return pu - cu, O[..., 2] + t * D[..., 2] - c[..., 2], su, s[..., 2]


def cut_solid(u, z, su, sz, P):
    """Whether the cut-out pattern is solid at (u, z): fence bars and rails, or a bicycle."""
    period, width = P[..., F_AUX + 2], P[..., F_AUX + 3]
    ub = u + su
    bars = torch.remainder(ub, period.clamp(min=0.05)) < width * period
    rails = ((z - sz).abs() < 0.06) | ((z + sz - 0.25).abs() < 0.05)
    fence = bars | rails
    # bicycle: rel. to the centre (0.5 m above ground): two wheels and a frame
    hub = (su - 0.36)
    zr = z + 0.15
    rear = ((u + hub) ** 2 + zr ** 2).sqrt()
    front = ((u - hub) ** 2 + zr ** 2).sqrt()
    wheels = ((rear - 0.31).abs() < 0.035) | ((front - 0.31).abs() < 0.035)
    top = ((z - 0.33).abs() < 0.03) & (u.abs() < 0.45)
    seat = ((u + 0.12).abs() < 0.03) & (z > -0.15) & (z < 0.4)
    head = ((u - 0.42).abs() < 0.03) & (z > -0.1) & (z < 0.5)
    down = ((z + 0.15) - (u + 0.12) * 0.9).abs() < 0.04
    bike = wheels | top | seat | head | (down & (u > -0.12) & (u < 0.42)) | ((zr.abs() < 0.03) & (u.abs() < hub))
    return torch.where(P[..., F_AUX + 1] == CUT_BICYCLE, bike, fence)


def cut_t(o, d, prm, inv_d):
    O, D, P = _split(o, d, prm)
    c = P[..., F_CENTRE:F_CENTRE + 3]
    normal_y = P[..., F_AUX] > 0.5
    on = torch.where(normal_y, O[..., 1], O[..., 0])
    cn = torch.where(normal_y, c[..., 1], c[..., 0])
    inv = torch.where(normal_y, inv_d[:, None, :, 1], inv_d[:, None, :, 0])
    t = (cn - on) * inv
    u, z, su, sz = cut_coords(O, D, P, t)
    hit = (t > EPS) & (u.abs() <= su) & (z.abs() <= sz)
    hit = hit & cut_solid(u, z, su, sz, P)
    return torch.where(hit, t, torch.full_like(t, INF))


def row_t(o, d, rows, bounds, heights, depths, from_outside: bool):
    """Building rows: facade plane hits and the side wall of the next lot (see blocks.RowSpec).

    rows [V, c, 7], bounds [V, c, L+1], heights/depths [V, c, L]. Returns t and code [V, c, N]
    (code = 2*lot for a facade hit, 2*lot + 1 for a side wall)."""
    O, D = o[:, None], d[:, None]
    R = rows[:, :, None, :]
    a, e, n, length = R[..., R_A:R_A + 2], R[..., R_E:R_E + 2], R[..., R_N:R_N + 2], R[..., R_LEN]
    rx, ry = O[..., 0] - a[..., 0], O[..., 1] - a[..., 1]
    on = rx * n[..., 0] + ry * n[..., 1]
    ou = rx * e[..., 0] + ry * e[..., 1]
    dn = D[..., 0] * n[..., 0] + D[..., 1] * n[..., 1]
    du = D[..., 0] * e[..., 0] + D[..., 1] * e[..., 1]
    front = on > 0
    tf = -on / torch.where(dn < 0, dn, torch.full_like(dn, -1.0))
    crosses = front & (dn < 0) & (tf > EPS)
    uf = ou + tf * du
    zf = O[..., 2] + tf * D[..., 2]
    nlots = heights.shape[-1]
    shape = uf.shape
    lot_f = (torch.searchsorted(bounds.contiguous(), uf.reshape(shape[0], shape[1], -1).contiguous()) - 1)
    lot_f = lot_f.reshape(shape).clamp(0, nlots - 1)
    within_f = (uf >= 0) & (uf <= length)
    h_f = torch.gather(heights, 2, lot_f.reshape(shape[0], shape[1], -1)).reshape(shape)
    facade = crosses & within_f & (zf < h_f) & (zf > -0.5)
    if from_outside:
        lot_ref, t_ref, ref_ok = lot_f, tf, crosses & within_f
    else:
        u0 = ou.expand(shape)
        lot_o = (torch.searchsorted(bounds.contiguous(), u0.reshape(shape[0], shape[1], -1).contiguous()) - 1)
        lot_o = lot_o.reshape(shape).clamp(0, nlots - 1)
        inside = (~front) & (u0 >= 0) & (u0 <= length) & (on > -30)
        lot_ref = torch.where(front, lot_f, lot_o)
        t_ref = torch.where(front, tf, torch.zeros_like(tf))
        ref_ok = (crosses & within_f) | inside
    step_up = du > 0
    nb_lot = torch.where(step_up, lot_ref + 1, lot_ref - 1)
    b_idx = torch.where(step_up, lot_ref + 1, lot_ref)
    nb_ok = (nb_lot >= 0) & (nb_lot < nlots)
    nb_c = nb_lot.clamp(0, nlots - 1)
    flat = lambda x: x.reshape(shape[0], shape[1], -1)
    ub = torch.gather(bounds, 2, flat(b_idx)).reshape(shape)
    h_n = torch.gather(heights, 2, flat(nb_c)).reshape(shape)
    dep_n = torch.gather(depths, 2, flat(nb_c)).reshape(shape)
    safe_du = torch.where(du.abs() > 1e-9, du, torch.full_like(du, 1e-9))
    tb = (ub - ou) / safe_du
    depth_in = -(on + tb * dn)
    zb = O[..., 2] + tb * D[..., 2]
    side = (ref_ok & ~facade & nb_ok & (tb > t_ref) & (tb > EPS) & (depth_in >= 0) & (depth_in <= dep_n)
            & (zb < h_n) & (zb > -0.5) & (ub <= length))
    t = torch.where(facade, tf, torch.where(side, tb, torch.full_like(tf, INF)))
    code = torch.where(facade, lot_f * 2, nb_c * 2 + 1)
    return t, code


PRIM_T = {"box": box_t, "cyl": cyl_t, "ell": ell_t, "cut": cut_t}
