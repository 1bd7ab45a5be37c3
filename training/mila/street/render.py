"""Render views (camera pose + time of one seed's world) to RGB, class labels and depth."""
from typing import List

import torch

from . import classes as C
from .culling import prim_bounds, row_bounds, screen_rects, sun_basis, sun_intervals
from .gpu_scene import (F_AUX, F_CENTRE, F_COL1, F_COL2, F_LABEL, F_MAT, F_SIZE, R_E, R_N,
                        DeviceScene, device_scene, view_prims)
from .ground import G_KERB, G_ROAD, G_TERRAIN, ground_t
from .intersect import INF, PRIM_T, row_t
from .materials import facade_albedo, ground_albedo, prim_albedo
from .noise import fbm, hash_u32
from .primitives import KINDS
from .scene import build_scene
from .view_params import broadcast_layout, per_point, view_params

CAT_SKY, CAT_GROUND, CAT_ROW = 0, 1, 2
CAT_KIND = {k: 3 + i for i, k in enumerate(KINDS)}


def _merge_views(per_group):
    """Pad per-seed-group tensors [v, P, ...] to a common P and concatenate along views."""
    p = max(t.shape[1] for t in per_group)
    out = []
    for t in per_group:
        if t.shape[1] < p:
            pad = torch.zeros((t.shape[0], p - t.shape[1]) + t.shape[2:], dtype=t.dtype, device=t.device)
            t = torch.cat([t, pad], 1)
        out.append(t)
    return torch.cat(out, 0)


def _gather_rows(scene: DeviceScene, ridx):
    return (scene.rows[ridx], scene.bounds[ridx], scene.heights[ridx], scene.depths[ridx],
            scene.lot_colour[ridx], scene.lot_trim[ridx], scene.lot_style[ridx])


class ViewBatch:
    """Primitives and rows of V views, padded to common sizes."""

    def __init__(self, seeds: List[int], poses, times, tan_half, focal, device, layouts: bool = False):
        groups = {}
        for v, s in enumerate(seeds):
            groups.setdefault(s, []).append(v)
        order = [v for s in groups for v in groups[s]]
        self.inverse = torch.empty(len(order), dtype=torch.long)
        self.inverse[torch.as_tensor(order)] = torch.arange(len(order))
        prims = {k: ([], []) for k in KINDS}
        rows = [[] for _ in range(8)]
        for s, views in groups.items():
            scene = device_scene(s, str(device), layouts)
            vi = torch.as_tensor(views, device=device)
            got, (ridx, rvalid) = view_prims(scene, poses[vi, :3, 3], poses[vi, :3, 2], times[vi],
                                             float(tan_half[vi].max()), float(focal[vi].max()))
            for k in KINDS:
                prims[k][0].append(got[k][0])
                prims[k][1].append(got[k][1])
            if scene.rows.shape[0]:
                parts = _gather_rows(scene, ridx)
            else:
                parts = tuple(torch.zeros((len(views), 1) + x.shape[1:], device=device) for x in
                              (scene.rows, scene.bounds, scene.heights, scene.depths, scene.lot_colour,
                               scene.lot_trim, scene.lot_style))
            for i, part in enumerate(parts):
                rows[i].append(part)
            rows[7].append(rvalid)
        inv = self.inverse.to(device)
        self.prims = {k: (_merge_views(a)[inv], _merge_views(b)[inv]) for k, (a, b) in prims.items()}
        (self.rows, self.bounds, self.heights, self.depths, self.lot_colour, self.lot_trim,
         self.lot_style, self.row_valid) = (_merge_views(r)[inv] for r in rows)
        # padded lots of padded rows must stay sorted for searchsorted
        self.bounds = torch.where(self.row_valid[..., None], self.bounds,
                                  torch.arange(self.bounds.shape[-1], device=device, dtype=torch.float32) * 1e6 + 1e6)


CHUNK = 8  # primitives per chunk; each chunk is tested only on the rays its bounds allow


def _order_by(key, valid):
    """Indices sorting valid items by key (invalid last), per view."""
    key = torch.where(valid, key, torch.full_like(key, float("inf")))
    return torch.sort(key, dim=1, stable=True).indices


def _take(x, order):
    return torch.gather(x, 1, order.reshape(order.shape + (1,) * (x.dim() - 2)).expand(order.shape + x.shape[2:]))


def _kinds(batch: ViewBatch, row_mask=None):
    """(category, data tensors, valid, bounds lo, hi) for the rows and every primitive kind."""
    rows, bounds, heights, depths, valid = batch.rows, batch.bounds, batch.heights, batch.depths, batch.row_valid
    if row_mask is not None:
        valid = valid & row_mask
    lo, hi = row_bounds(rows, heights, depths)
    out = [(CAT_ROW, (rows, bounds, heights, depths), valid, lo, hi)]
    for kind in KINDS:
        table, pvalid = batch.prims[kind]
        plo, phi = prim_bounds(table)
        out.append((CAT_KIND[kind], (table,), pvalid, plo, phi))
    return out


def _test(cat, data, o, d, inv_d):
    """Distances [V, c, n] (and row codes, else None) of one chunk."""
    if cat == CAT_ROW:
        return row_t(o, d, *data, from_outside=True)
    return PRIM_T[KINDS[cat - 3]](o, d, data[0], inv_d), None


def cast_camera(o, d, batch: ViewBatch, layout_b, poses, K, height, width):
    """Nearest hit of every camera ray. d [V, H*W, 3]; returns t, category, index, row code [V, H*W]."""
    V = d.shape[0]
    dev = d.device
    tg, gmat = ground_t(o, d, layout_b)
    img = lambda x: x.reshape((V, height, width) + x.shape[2:])
    best_t, best_idx = img(tg).clone(), img(gmat).clone()
    best_cat = torch.where(best_t < INF, torch.full_like(best_idx, CAT_GROUND), torch.full_like(best_idx, CAT_SKY))
    best_code = torch.zeros_like(best_idx)
    d_img = img(d)
    inv_img = 1.0 / torch.where(d_img.abs() < 1e-9, torch.full_like(d_img, 1e-9), d_img)
    big = 1 << 30
    for cat, data, valid, lo, hi in _kinds(batch):
        rect = screen_rects(lo, hi, poses, K, height, width)
        centre = (rect[..., 0] + rect[..., 1]).float() * height + (rect[..., 2] + rect[..., 3]).float()
        order = _order_by(centre, valid)
        data = tuple(_take(x, order) for x in data)
        valid, rect = _take(valid, order), _take(rect, order)
        count = int(valid.sum(1).max().item())
        for c0 in range(0, count, CHUNK):
            sl = slice(c0, c0 + CHUNK)
            cv, cr = valid[:, sl], rect[:, sl]
            u0 = int(torch.where(cv, cr[..., 0], torch.full_like(cr[..., 0], big)).min())
            u1 = int(torch.where(cv, cr[..., 1], torch.full_like(cr[..., 1], -big)).max())
            v0 = int(torch.where(cv, cr[..., 2], torch.full_like(cr[..., 2], big)).min())
            v1 = int(torch.where(cv, cr[..., 3], torch.full_like(cr[..., 3], -big)).max())
            if u1 <= u0 or v1 <= v0:
                continue
            region = (slice(None), slice(v0, v1), slice(u0, u1))
            shape = (V, v1 - v0, u1 - u0)
            dc = d_img[region].reshape(V, -1, 3)
            ic = inv_img[region].reshape(V, -1, 3)
            t, code = _test(cat, tuple(x[:, sl] for x in data), o, dc, ic)
            t = torch.where(cv[..., None], t, torch.full_like(t, INF))
            tmin, arg = t.min(1)
            better = tmin.reshape(shape) < best_t[region]
            best_t[region] = torch.where(better, tmin.reshape(shape), best_t[region])
            best_cat[region] = torch.where(better, torch.full_like(better, cat, dtype=torch.long), best_cat[region])
            # indices refer to the view's primitive list before sorting
            orig = torch.gather(order, 1, arg + c0).reshape(shape)
            best_idx[region] = torch.where(better, orig, best_idx[region])
            if code is not None:
                ccode = torch.gather(code, 1, arg[:, None])[:, 0].reshape(shape)
                best_code[region] = torch.where(better, ccode, best_code[region])
    flat = lambda x: x.reshape(V, -1)
    return flat(best_t), flat(best_cat), flat(best_idx), flat(best_code)


def cast_shadow(o, sun, batch: ViewBatch, s1, coord):
    """Whether rays from o [V, m, 3] towards the sun [V, 3] are blocked. Rays are sorted by
    coord = o . s1 within each view (s1 perpendicular to the sun)."""
    V, m = o.shape[0], o.shape[1]
    d = sun[:, None, :].expand(V, m, 3).contiguous()
    inv = 1.0 / torch.where(sun.abs() < 1e-9, torch.full_like(sun, 1e-9), sun)
    blocked = torch.zeros((V, m), dtype=torch.bool, device=o.device)
    # a ray from the street towards the sun can only enter facades that face away from the sun
    faces_away = (batch.rows[..., R_N:R_N + 2] * sun[:, None, :2]).sum(-1) < 0
    for cat, data, valid, lo, hi in _kinds(batch, faces_away):
        iv = sun_intervals(lo, hi, s1)
        order = _order_by(iv[..., 0], valid)
        data = tuple(_take(x, order) for x in data)
        valid, iv = _take(valid, order), _take(iv, order)
        count = int(valid.sum(1).max().item())
        for c0 in range(0, count, CHUNK):
            sl = slice(c0, c0 + CHUNK)
            cv, ci = valid[:, sl], iv[:, sl]
            lo_c = torch.where(cv, ci[..., 0], torch.full_like(ci[..., 0], INF)).amin(1)
            hi_c = torch.where(cv, ci[..., 1], torch.full_like(ci[..., 1], -INF)).amax(1)
            i0 = int(torch.searchsorted(coord, lo_c[:, None].contiguous()).min())
            i1 = int(torch.searchsorted(coord, hi_c[:, None].contiguous(), right=True).max())
            if i1 <= i0:
                continue
            t, _ = _test(cat, tuple(x[:, sl] for x in data), o[:, i0:i1], d[:, i0:i1],
                         inv[:, None, :].expand(V, i1 - i0, 3))
            t = torch.where(cv[..., None], t, torch.full_like(t, INF))
            blocked[:, i0:i1] |= (t < INF).any(1)
    return blocked


def _unshadowed(origins, sun, need, batch: ViewBatch):
    """[V, N] 1.0 where the ray towards the sun [V, 3] is free; only rays in `need` are cast, packed
    per view and sorted across the sun direction so primitives meet only rays they can shadow."""
    V, N = need.shape
    counts = need.sum(1)
    m = max(int(counts.max().item()), 1)
    s1 = sun_basis(sun)
    coord = (origins * s1[:, None, :]).sum(-1)
    srt = torch.sort(torch.where(need, coord, torch.full_like(coord, INF)), dim=1, stable=True)
    order, coord = srt.indices[:, :m], srt.values[:, :m].contiguous()
    o = torch.gather(origins, 1, order[..., None].expand(V, m, 3))
    blocked = cast_shadow(o, sun, batch, s1, coord)
    free = (~blocked).float() * (torch.arange(m, device=need.device)[None] < counts[:, None]).float()
    return torch.zeros((V, N), device=need.device).scatter(1, order, free)


def camera_rays(poses, K, H, W):
    """World ray directions [V, H*W, 3] (unit) through pixel centres."""
    dev = poses.device
    v, u = torch.meshgrid(torch.arange(H, device=dev, dtype=torch.float32) + 0.5,
                          torch.arange(W, device=dev, dtype=torch.float32) + 0.5, indexing="ij")
    u, v = u.reshape(1, -1), v.reshape(1, -1)
    x = (u - K[:, 0, 2:3]) / K[:, 0, 0:1]
    y = (v - K[:, 1, 2:3]) / K[:, 1, 1:2]
    R = poses[:, :3, :3]
    d = torch.stack([R[:, k, 0:1] * x + R[:, k, 1:2] * y + R[:, k, 2:3] for k in range(3)], -1)
    return d / d.norm(dim=-1, keepdim=True)


def _sky(d, prm):
    """Sky radiance for directions d [M, 3]."""
    up = d[:, 2].clamp(min=0)
    w = up.sqrt()[:, None]
    col = prm["horizon"] * (1 - w) + prm["zenith"] * w
    sun = (d * prm["sun_dir"]).sum(-1).clamp(min=0)
    col = col + prm["sun_col"] * (0.04 * sun ** 8 + 2.0 * (sun > 0.9995).float())[:, None]
    px = d[:, 0] / (d[:, 2] + 0.08)
    py = d[:, 1] / (d[:, 2] + 0.08)
    cloud = fbm(px * 1.5, py * 1.5, prm["salt"] + 31, octaves=4)
    amount = ((cloud - (1 - prm["clouds"])) * 3).clamp(0, 1) * (d[:, 2] > 0).float()
    cloud_col = prm["horizon"] * 0.5 + 0.45
    return col + (cloud_col - col) * amount[:, None]


def shade(o, d, t, cat, idx, code, batch: ViewBatch, prm_v: dict, want_anchor: bool = False):
    """Labels, points, normals, albedo, emission, glass weight of the hits; with want_anchor also
    the hit objects' centres (zero for the ground and buildings)."""
    V, N = t.shape
    dev = t.device
    view = torch.arange(V, device=dev)[:, None].expand(V, N)
    p = o + t[..., None].clamp(max=1e6) * d
    labels = torch.full((V, N), C.SKY, dtype=torch.long, device=dev)
    nrm = torch.zeros((V, N, 3), device=dev)
    albedo = torch.zeros((V, N, 3), device=dev)
    emission = torch.zeros((V, N, 3), device=dev)
    glass = torch.zeros((V, N), device=dev)
    anchor = torch.zeros((V, N, 3), device=dev) if want_anchor else None

    # ground
    g = (cat == CAT_GROUND).nonzero(as_tuple=True)
    if g[0].numel():
        gm = idx[g]
        pp = per_point(prm_v, view[g])
        labels[g] = torch.where(gm == G_ROAD, C.ROAD, torch.where(gm == G_TERRAIN, C.TERRAIN, C.SIDEWALK))
        n = torch.zeros((gm.shape[0], 3), device=dev)
        n[:, 2] = 1.0
        # kerb face: horizontal normal facing the road
        lay = pp["layout"]
        px, py = p[g][:, 0], p[g][:, 1]
        ax = (px - torch.round(px / lay.period_x) * lay.period_x)
        ay = (py - torch.round(py / lay.period_y) * lay.period_y)
        kerb_x = ax.abs() < ay.abs()
        kn = torch.stack([torch.where(kerb_x, -torch.sign(d[g][:, 0]), torch.zeros_like(ax)),
                          torch.where(kerb_x, torch.zeros_like(ax), -torch.sign(d[g][:, 1])), torch.zeros_like(ax)], -1)
        n = torch.where((gm == G_KERB)[:, None], kn, n)
        nrm[g] = n
        albedo[g] = ground_albedo(gm, px, py, lay, pp, pp["salt"])

    # building rows
    r = (cat == CAT_ROW).nonzero(as_tuple=True)
    if r[0].numel():
        ri = idx[r]
        rv = view[r]
        lot = code[r] // 2
        side = (code[r] % 2) == 1
        row = batch.rows[rv, ri]
        e, n2 = row[:, R_E:R_E + 2], row[:, R_N:R_N + 2]
        bounds = batch.bounds[rv, ri]
        a = row[:, 0:2]
        rel = p[r][:, :2] - a
        u = (rel * e).sum(-1) - bounds.gather(1, lot[:, None])[:, 0]
        depth_in = -(rel * n2).sum(-1)
        du = (d[r][:, :2] * e).sum(-1)
        side_n = -torch.sign(du)[:, None] * e
        n3 = torch.where(side[:, None], side_n, n2)
        nrm[r] = torch.cat([n3, torch.zeros_like(n3[:, :1])], -1)
        labels[r] = C.BUILDING
        alb, gl = facade_albedo(u, p[r][:, 2], depth_in, side, batch.heights[rv, ri].gather(1, lot[:, None])[:, 0],
                                batch.lot_colour[rv, ri, lot], batch.lot_trim[rv, ri, lot], batch.lot_style[rv, ri, lot],
                                prm_v["salt"][rv])
        albedo[r] = alb
        glass[r] = gl

    # objects
    for kind in KINDS:
        k = (cat == CAT_KIND[kind]).nonzero(as_tuple=True)
        if not k[0].numel():
            continue
        table = batch.prims[kind][0]
        prim = table[view[k], idx[k]]  # [M, F]
        c, s = prim[:, F_CENTRE:F_CENTRE + 3], prim[:, F_SIZE:F_SIZE + 3]
        pk = p[k]
        if kind == "box":
            rel = (pk - c) / s.clamp(min=1e-4)
            ax = rel.abs().argmax(-1)
            n = torch.zeros_like(pk).scatter_(1, ax[:, None], torch.sign(rel.gather(1, ax[:, None])))
        elif kind == "cyl":
            n = torch.cat([(pk[:, :2] - c[:, :2]) / s[:, :1].clamp(min=1e-4), torch.zeros_like(pk[:, :1])], -1)
        elif kind == "ell":
            n = (pk - c) / (s * s).clamp(min=1e-8)
        else:
            ny = prim[:, F_AUX] > 0.5
            n = torch.zeros_like(pk)
            n[:, 1] = torch.where(ny, -torch.sign(d[k][:, 1]), torch.zeros_like(ny, dtype=pk.dtype))
            n[:, 0] = torch.where(ny, torch.zeros_like(ny, dtype=pk.dtype), -torch.sign(d[k][:, 0]))
        n = n / n.norm(dim=-1, keepdim=True).clamp(min=1e-6)
        nrm[k] = n
        labels[k] = prim[:, F_LABEL].long()
        alb, em, gl = prim_albedo(prim[:, F_MAT].long(), pk, n, c, s, prim[:, F_COL1:F_COL1 + 3],
                                  prim[:, F_COL2:F_COL2 + 3], prim[:, F_AUX:F_AUX + 4], prm_v["salt"][view[k]])
        albedo[k] = alb
        emission[k] = em
        glass[k] = gl
        if anchor is not None:
            anchor[k] = c
    if want_anchor:
        return labels, p, nrm, albedo, emission, glass, anchor
    return labels, p, nrm, albedo, emission, glass


def _trace(poses, K, height, width, batch: ViewBatch, prm: dict, retexture=None):
    """Linear scene radiance (before the camera's response) of the rays through pixel centres of a
    height x width image with intrinsics K, and the hit data: t, category, labels, ray directions.
    retexture(view, labels, p, nrm, anchor, albedo) -> albedo (flat [V*N] hits) re-colours surfaces."""
    V, dev = poses.shape[0], poses.device
    d = camera_rays(poses, K, height, width)
    o = poses[:, None, :3, 3]
    t, cat, idx, code = cast_camera(o, d, batch, broadcast_layout(prm), poses, K, height, width)
    if retexture is None:
        labels, p, nrm, albedo, emission, glass = shade(o, d, t, cat, idx, code, batch, prm)
    else:
        labels, p, nrm, albedo, emission, glass, anchor = shade(o, d, t, cat, idx, code, batch, prm, True)
        view = torch.arange(V, device=dev)[:, None].expand(V, t.shape[1]).reshape(-1)
        albedo = retexture(view, labels.reshape(-1), p.reshape(-1, 3), nrm.reshape(-1, 3), anchor.reshape(-1, 3),
                           albedo.reshape(-1, 3)).reshape(albedo.shape)
    hit = cat != CAT_SKY
    # sun light with hard shadows: a second cast towards the sun from every lit surface point
    sun = prm["sun_dir"][:, None, :]
    lambert = (nrm * sun).sum(-1).clamp(min=0)
    lit = lambert * hit.float()
    lit = lit * _unshadowed(p + nrm * 0.03 + sun * 0.02, prm["sun_dir"], lit > 0, batch)
    ambient = prm["ambient"][:, None] * (0.75 + 0.25 * nrm[..., 2:3])
    radiance = albedo * (ambient + prm["sun_col"][:, None] * lit[..., None]) + emission
    flat_d = d.reshape(-1, 3)
    view_of = torch.arange(V, device=dev).repeat_interleave(d.shape[1])
    sky = _sky(flat_d, per_point(prm, view_of)).reshape(V, -1, 3)
    radiance = radiance + glass[..., None] * 0.35 * (prm["horizon"][:, None] * 0.6 + prm["zenith"][:, None] * 0.4)
    fog = torch.exp(-t.clamp(max=1e5) / prm["fog_distance"][:, None])[..., None]
    radiance = torch.where(hit[..., None], radiance * fog + prm["horizon"][:, None] * (1 - fog), sky)
    return radiance, t, hit, labels, d


def sensor_noise(frame_ids: torch.Tensor, salt: torch.Tensor, n_pix: int) -> torch.Tensor:
    """[V, n_pix, 3] unit-variance triangular noise, a hash of the pixel, the frame and the world."""
    dev = salt.device
    pix = torch.arange(n_pix * 3, device=dev, dtype=torch.long).reshape(1, n_pix, 3)
    key = pix + (frame_ids.to(dev).long()[:, None, None] * 7919 + salt[:, None, None]) * (n_pix * 3)
    u1 = hash_u32(key).float() / 4294967296.0
    u2 = hash_u32(key + 0x9E3779B9).float() / 4294967296.0
    return (u1 + u2 - 1.0) * 2.449


def render_views(seeds: List[int], poses: torch.Tensor, K: torch.Tensor, times: torch.Tensor,
                 frame_ids: torch.Tensor, height: int, width: int, max_depth: float, supersample: int = 1):
    """poses [V, 4, 4] camera-to-world, K [V, 3, 3], times [V] (s), frame_ids [V] (sensor noise).
    Returns rgb uint8 [V, H, W, 3], labels uint8 [V, H, W], depth float32 [V, H, W].
    supersample > 1 averages the RGB of s x s rays per pixel; labels and depth stay at pixel centres."""
    dev = poses.device
    V = len(seeds)
    scenes = [build_scene(s) for s in seeds]
    prm = view_params(scenes, dev)
    focal = K[:, 0, 0]
    tan_half = (width / 2) / focal
    batch = ViewBatch(seeds, poses, times, tan_half, focal, dev)
    radiance, t, hit, labels, d = _trace(poses, K, height, width, batch, prm)
    if supersample > 1:
        ss = supersample
        K_fine = K.clone()
        K_fine[:, :2] = K_fine[:, :2] * ss
        fine = _trace(poses, K_fine, height * ss, width * ss, batch, prm)[0]
        radiance = fine.reshape(V, height, ss, width, ss, 3).mean((2, 4)).reshape(V, height * width, 3)
    # camera: exposure, white balance, vignetting, gamma, noise
    n_pix = d.shape[1]
    ys = (torch.arange(height, device=dev, dtype=torch.float32) + 0.5) / height - 0.5
    xs = (torch.arange(width, device=dev, dtype=torch.float32) + 0.5) / width - 0.5
    r2 = (ys[:, None] ** 2 + xs[None, :] ** 2).reshape(1, -1) * 2
    radiance = radiance * (prm["exposure"][:, None] * (1 - prm["vignette"][:, None] * r2))[..., None]
    radiance = radiance * prm["white_balance"][:, None]
    srgb = radiance.clamp(0, 1) ** (1 / 2.2)
    srgb = srgb + sensor_noise(frame_ids, prm["salt"], n_pix) * prm["noise_sigma"][:, None, None]
    rgb = (srgb.clamp(0, 1) * 255 + 0.5).floor().to(torch.uint8).reshape(V, height, width, 3)
    fwd = poses[:, None, :3, 2]
    depth = (t * (d * fwd).sum(-1)).clamp(max=max_depth)
    depth = torch.where(hit, depth, torch.full_like(depth, max_depth)).reshape(V, height, width)
    return rgb, labels.to(torch.uint8).reshape(V, height, width), depth
