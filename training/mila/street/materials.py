"""Procedural surface textures (linear-light albedo), hashed in world or object coordinates so
they stick to surfaces. Each function works on a flat subset of M hit points."""
import torch

from .city import BLOCK_PARKING, CityLayout, block_kind, block_local, has_open_blocks, stall_lines, street_offsets
from .ground import G_KERB, G_ROAD, G_SIDEWALK, G_TERRAIN
from .noise import cell_random, fbm, value_noise
from .primitives import (MAT_BARK, MAT_BIKE, MAT_BODY, MAT_BUS, MAT_CABIN, MAT_CARGO, MAT_CLOTHES, MAT_FENCE,
                         MAT_FOLIAGE, MAT_LIGHT, MAT_METAL, MAT_SIGN, MAT_SKIN, MAT_WALL)

GLASS = (0.035, 0.045, 0.055)


def _c(rgb, like):
    return torch.as_tensor(rgb, dtype=like.dtype, device=like.device)


def _lin(srgb, like):
    return _c([float(v) ** 2.2 for v in srgb], like)


def _mix(a, b, w):
    return a + (b - a) * w[..., None]


def ground_albedo(kind: torch.Tensor, x, y, layout: CityLayout, look: dict, salt):
    """kind: G_* per point; layout fields, look colours (linear) and salt are per point too.
    Returns albedo [M, 3]."""
    out = torch.zeros(x.shape + (3,), dtype=x.dtype, device=x.device)
    grain = value_noise(x * 23.0, y * 23.0, salt + 1) - 0.5
    big = fbm(x * 0.35, y * 0.35, salt + 2)
    # road: asphalt with patches and lane markings
    asphalt = look['asphalt'] * (0.75 + 0.5 * big + 0.25 * grain)[..., None]
    ax, ay = street_offsets(layout, x, y)
    rh, sh, lw = layout.road_half, layout.street_half, layout.lane_width
    mark = torch.zeros_like(x, dtype=torch.bool)
    for along_y, off, other, along in ((True, ax, ay, y), (False, ay, ax, x)):
        seg = other > sh  # between intersections
        single = (off < 0.07) & (torch.remainder(along, 9.0) < 4.0)
        double = ((off - 0.13).abs() < 0.06) | (((off - lw).abs() < 0.07) & (torch.remainder(along, 9.0) < 3.0))
        centre = torch.where(layout.lanes == 1, single, double)
        edge = ((off - layout.lanes * lw).abs() < 0.07) & (layout.parking > 0)
        mark = mark | (seg & (centre | edge))
        zebra = (other > rh + 0.5) & (other < sh - 0.4) & (off < rh - 0.3) & (torch.remainder(off, 1.1) < 0.55)
        mark = mark | zebra
    wear = fbm(x * 1.7, y * 1.7, salt + 3) > 0.3
    if has_open_blocks(layout):  # parking lots: painted stalls
        bx, by, lx, ly = block_local(layout, x, y)
        mark = mark | ((block_kind(layout, bx, by) == BLOCK_PARKING) & stall_lines(layout, lx, ly))
    road = _mix(asphalt, look['marking'] * (0.85 + 0.3 * grain)[..., None], (mark & wear).float())
    # sidewalk: square paving tiles with joints, a kerb stone band along the road
    ts = 0.45 + 0.25 * torch.remainder(salt, 3).to(x.dtype)
    tx, ty = x / ts, y / ts
    joint = (torch.remainder(tx, 1.0) < 0.05) | (torch.remainder(ty, 1.0) < 0.05)
    tile = 0.85 + 0.3 * cell_random(torch.floor(tx).long(), torch.floor(ty).long(), salt + 4)
    paving = look['paving'] * (tile * (1 - 0.35 * joint.float()) + 0.2 * grain)[..., None]
    kerb_band = (torch.minimum(ax, ay) < rh + 0.3)
    kerb = look['kerb'] * (0.85 + 0.3 * big)[..., None]
    paving = torch.where(kerb_band[..., None], kerb, paving)
    # terrain: grass with dry patches
    patch = fbm(x * 0.25, y * 0.25, salt + 5)
    grass = _mix(look['grass'], _lin((0.45, 0.4, 0.28), x), (patch - 0.45).clamp(0, 0.3) * 2.5)
    grass = grass * (0.7 + 0.6 * value_noise(x * 9.0, y * 9.0, salt + 6))[..., None]
    out = torch.where((kind == G_ROAD)[..., None], road, out)
    out = torch.where((kind == G_SIDEWALK)[..., None], paving, out)
    out = torch.where((kind == G_KERB)[..., None], kerb * 1.1, out)
    out = torch.where((kind == G_TERRAIN)[..., None], grass, out)
    return out


def facade_albedo(u, z, depth_in, side, height, colour, trim, style, salt):
    """Building wall at lot-local u (facade) or depth_in (side wall), height z. Returns albedo, glass weight."""
    spacing, floor_h, kind, win_w = style[:, 0], style[:, 1], style[:, 2], style[:, 3]
    s = torch.where(side, depth_in, u)
    grain = value_noise(s * 6.0, z * 6.0, salt + 11) - 0.5
    plaster = 0.8 + 0.4 * fbm(s * 0.8, z * 0.8, salt + 12) + 0.15 * grain
    course = torch.floor(z / 0.075)
    bu = s / 0.24 + 0.5 * torch.remainder(course, 2)
    mortar = (torch.remainder(z / 0.075, 1.0) < 0.14) | (torch.remainder(bu, 1.0) < 0.06)
    brick = (0.8 + 0.35 * cell_random(torch.floor(bu).long(), course.long(), salt + 13))
    brick = torch.where(mortar, torch.full_like(brick, 1.45), brick)
    panel = (torch.remainder(s / 1.6, 1.0) < 0.02) | (torch.remainder(z / floor_h, 1.0) < 0.02)
    panels = 0.9 + 0.2 * value_noise(torch.floor(s / 1.6), torch.floor(z / floor_h), salt + 14) - 0.4 * panel.float()
    factor = torch.where(kind < 0.5, plaster, torch.where(kind < 1.5, brick, panels))
    wall = colour * factor[:, None]
    # windows on a floor grid; shop fronts on the ground floor; nothing on side walls
    cu = torch.remainder(u / spacing, 1.0)
    floor = torch.floor(z / floor_h)
    fz = torch.remainder(z / floor_h, 1.0)
    upper = (floor >= 1) & (z < height - 0.9)
    win = upper & ((cu - 0.5).abs() < win_w / 2) & (fz > 0.28) & (fz < 0.82)
    frame = upper & ((cu - 0.5).abs() < win_w / 2 + 0.05) & (fz > 0.24) & (fz < 0.86) & ~win
    shop = (floor < 1) & (z > 0.45) & (z < floor_h - 0.6) & ((cu - 0.5).abs() < 0.42)
    glass = (win | shop) & ~side
    frame = (frame | ((floor < 1) & ~shop & (z < floor_h - 0.3))) & ~side
    cornice = (z > height - 0.5) & (z < height)
    albedo = torch.where((frame | cornice)[:, None], trim * (0.9 + 0.2 * grain)[:, None], wall)
    lit = cell_random(torch.floor(u / spacing).long(), floor.long(), salt + 15)
    glass_col = _c(GLASS, u) * (0.6 + 1.2 * lit)[:, None]
    albedo = torch.where(glass[:, None], glass_col, albedo)
    return albedo, glass.float() * (0.5 + 0.5 * lit)


def _face_axis(nrm):
    return nrm.abs().argmax(-1)


def prim_albedo(mat, p, nrm, centre, size, col1, col2, aux, salt):
    """Albedo [M, 3], emission [M, 3] (linear) and glass weight [M] for object materials."""
    M = p.shape[0]
    albedo = col1.clone()
    emission = torch.zeros_like(col1)
    glass = torch.zeros(M, dtype=p.dtype, device=p.device)
    local = p - centre
    face = _face_axis(nrm)
    vertical = face != 2
    grain = value_noise(p[:, 0] * 7 + p[:, 1] * 3.1, p[:, 2] * 7, salt + 21) - 0.5
    axis = aux[:, 0].long().clamp(0, 1)
    la = torch.where(axis == 0, local[:, 0], local[:, 1])          # along a vehicle
    lat = torch.where(axis == 0, local[:, 1], local[:, 0])
    half_len = torch.where(axis == 0, size[:, 0], size[:, 1])
    half_w = torch.where(axis == 0, size[:, 1], size[:, 0])
    side_face = vertical & (face != axis)
    end_face = vertical & (face == axis)
    z = p[:, 2]

    # vehicles: paint, wheels on the sides, lights at the ends, dark underside
    vehicle = (mat == MAT_BODY) | (mat == MAT_BUS) | (mat == MAT_CARGO)
    wheel_off = torch.where(mat == MAT_BUS, half_len - 2.0, half_len - 0.8)
    wheel_off = torch.where(aux[:, 3] == 2, half_len - 0.32, wheel_off)  # motorcycle
    wr = torch.where(mat == MAT_BODY, torch.full_like(z, 0.32), torch.full_like(z, 0.48))
    wz = wr + 0.01
    dw = torch.minimum(((la - wheel_off) ** 2 + (z - wz) ** 2).sqrt(), ((la + wheel_off) ** 2 + (z - wz) ** 2).sqrt())
    tyre = vehicle & (side_face | (aux[:, 3] == 2)) & (dw < wr)
    rim = tyre & (dw < wr * 0.55)
    paint = col1 * (1.0 + 0.08 * grain)[:, None]
    body = torch.where(tyre[:, None], _c((0.02, 0.02, 0.02), p), paint)
    body = torch.where(rim[:, None], _c((0.35, 0.35, 0.36), p), body)
    low = vehicle & (z < 0.3 + 0.25 * (mat != MAT_BODY).float()) & ~tyre
    body = torch.where(low[:, None], col1 * 0.25, body)
    lamp_zone = end_face & ((lat.abs() - (half_w - 0.25)).abs() < 0.17) & ((z - 0.7).abs() < 0.08) & (mat == MAT_BODY)
    front = (la * aux[:, 2]) > 0
    lamp_col = torch.where(front[:, None], _c((1.0, 0.95, 0.8), p), _c((0.8, 0.05, 0.03), p))
    body = torch.where(lamp_zone[:, None], lamp_col * 0.6, body)
    emission = torch.where(lamp_zone[:, None], lamp_col * 0.3, emission)
    cargo_stripe = (mat == MAT_CARGO) & ((z - 1.0).abs() < 0.12)
    body = torch.where(cargo_stripe[:, None], col2, body)
    # bus window band with pillars
    bus_win = (mat == MAT_BUS) & vertical & (z > 1.35) & (z < 2.55) & (torch.remainder(la, 1.3) > 0.12)
    albedo = torch.where(vehicle[:, None], body, albedo)
    # cabins: glass between pillars on vertical faces (truck cabs: upper half only)
    pillar = ((half_len - la.abs()) < 0.12) | ((half_w - lat.abs()) < 0.1)
    cab_glass = (mat == MAT_CABIN) & vertical & ~pillar & ((aux[:, 3] < 0.5) | (local[:, 2] > 0))
    top_frame = (mat == MAT_CABIN) & ((size[:, 2] - local[:, 2]) < 0.06)
    cab_glass = cab_glass & ~top_frame
    win = bus_win | cab_glass
    albedo = torch.where((mat == MAT_CABIN)[:, None], paint, albedo)
    albedo = torch.where(win[:, None], _c(GLASS, p).expand(M, 3), albedo)
    glass = torch.where(win, torch.full_like(glass, 0.9), glass)
    # walls: concrete or stone blocks
    su = torch.where(face == 0, p[:, 1], p[:, 0])
    blocks = (mat == MAT_WALL) & (aux[:, 0] > 0.5) & ((torch.remainder(su / 0.6, 1.0) < 0.04) | (torch.remainder(z / 0.3, 1.0) < 0.07))
    wall = col1 * (0.75 + 0.5 * fbm(su * 1.5, z * 1.5, salt + 22) + 0.2 * grain)[:, None]
    wall = torch.where(blocks[:, None], wall * 0.6, wall)
    albedo = torch.where((mat == MAT_WALL)[:, None], wall, albedo)
    # metal, fences, bikes: slightly mottled paint
    metal = (mat == MAT_METAL) | (mat == MAT_FENCE) | (mat == MAT_BIKE)
    albedo = torch.where(metal[:, None], col1 * (0.9 + 0.3 * grain)[:, None], albedo)
    # signs: coloured face with a white border, grey back
    sign = mat == MAT_SIGN
    sign_face = sign & (face == aux[:, 0].long())
    fu = torch.where(face == 0, local[:, 1], local[:, 0]) / size[:, 2].clamp(min=1e-3)
    fz = local[:, 2] / size[:, 2].clamp(min=1e-3)
    round_sign = aux[:, 1] > 0.5
    r = torch.where(round_sign, (fu ** 2 + fz ** 2).sqrt(), torch.maximum(fu.abs(), fz.abs()))
    sign_col = torch.where((r > 0.8)[:, None], col2, col1)
    sign_col = torch.where((round_sign & (r > 1.0))[:, None], _c((0.45, 0.45, 0.45), p), sign_col)
    albedo = torch.where(sign_face[:, None], sign_col, torch.where(sign[:, None], _c((0.3, 0.3, 0.3), p), albedo))
    emission = torch.where(sign_face[:, None], sign_col * 0.08, emission)
    # traffic lights: dark housing, three lamps on the face towards traffic, one lit
    light = mat == MAT_LIGHT
    lamp_face = light & (face == aux[:, 0].long()) & ((nrm.gather(1, face[:, None])[:, 0] * aux[:, 1]) > 0)
    lz = local[:, 2]
    slot = torch.round(-lz / 0.3).clamp(-1, 1)  # -1 top (red), 0 amber, 1 green
    lamp = lamp_face & (((fu * size[:, 2]) ** 2 + (lz + slot * 0.3) ** 2) < 0.1 ** 2)
    lamp_rgb = torch.stack([_c((1.0, 0.1, 0.05), p), _c((1.0, 0.6, 0.05), p), _c((0.1, 1.0, 0.4), p)])
    colour = lamp_rgb[(slot + 1).long()]
    on = (slot + 1) == aux[:, 2]
    albedo = torch.where(light[:, None], _c((0.015, 0.015, 0.015), p).expand(M, 3), albedo)
    albedo = torch.where(lamp[:, None], colour * 0.1, albedo)
    emission = torch.where((lamp & on)[:, None], colour * 3.0, emission)
    # foliage: leafy noise, darker inside and below
    leaves = value_noise(p[:, 0] * 4.0 + p[:, 2] * 2.1, p[:, 1] * 4.0 - p[:, 2] * 1.7, salt + 23)
    clump = fbm(p[:, 0] * 0.9 + p[:, 2], p[:, 1] * 0.9 - p[:, 2], salt + 24)
    shade = (0.55 + 0.45 * (local[:, 2] / size[:, 2].clamp(min=1e-3)).clamp(-1, 1))
    fol = _mix(col2, col1, (0.35 * leaves + 0.9 * clump - 0.2).clamp(0, 1)) * (0.7 + 0.6 * shade)[:, None]
    albedo = torch.where((mat == MAT_FOLIAGE)[:, None], fol, albedo)
    bark = col1 * (0.7 + 0.6 * value_noise(p[:, 2] * 8.0, (p[:, 0] + p[:, 1]) * 30.0, salt + 25))[:, None]
    albedo = torch.where((mat == MAT_BARK)[:, None], bark, albedo)
    # people: shirt above the waist, trousers below
    clothes = torch.where((z < aux[:, 0])[:, None], col2, col1) * (0.85 + 0.3 * grain)[:, None]
    albedo = torch.where((mat == MAT_CLOTHES)[:, None], clothes, albedo)
    albedo = torch.where((mat == MAT_SKIN)[:, None], col1 * (0.9 + 0.2 * grain)[:, None], albedo)
    return albedo, emission, glass
