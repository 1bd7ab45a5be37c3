"""City blocks: building rows (lots with heights, depths, facade styles), open lots with walls,
fences, hedges and trees, and the sidewalk furniture and pedestrians in front of each row."""
from dataclasses import dataclass
from typing import List

import numpy as np

from . import classes as C
from . import palette as P
from .city import CityLayout
from .primitives import (CUT_BARS, MAT_BARK, MAT_CLOTHES, MAT_FENCE, MAT_FOLIAGE, MAT_LIGHT, MAT_METAL,
                         MAT_SIGN, MAT_SKIN, MAT_WALL, PrimBuilder)

MAX_LOTS = 16


@dataclass
class RowSpec:
    a: np.ndarray        # [2] start corner on the building line
    e: np.ndarray        # [2] unit direction along the row
    n: np.ndarray        # [2] outward normal (towards the street)
    length: float
    bounds: np.ndarray   # [MAX_LOTS + 1] lot boundaries along e (padded with increasing values)
    heights: np.ndarray  # [MAX_LOTS] 0 = open lot
    depths: np.ndarray   # [MAX_LOTS]
    colour: np.ndarray   # [MAX_LOTS, 3] facade sRGB
    trim: np.ndarray     # [MAX_LOTS, 3] window frame / ground floor sRGB
    style: np.ndarray    # [MAX_LOTS, 4] window spacing, floor height, material (0 plaster 1 brick 2 panels), window width fraction


def _lot_widths(rng, length):
    widths = []
    left = length
    while left > 0 and len(widths) < MAX_LOTS:
        w = float(rng.uniform(8, 26))
        if left - w < 6 or len(widths) == MAX_LOTS - 1:
            w = left
        widths.append(w)
        left -= w
    return widths


def _add_tree(b: PrimBuilder, rng, x, y, z0, foliage, big=1.0):
    trunk_h = rng.uniform(1.8, 3.2) * big
    r = rng.uniform(1.4, 3.0) * big
    rz = r * rng.uniform(0.9, 1.4)
    cz = max(z0 + trunk_h + 0.5 * rz, 3.3 + rz)  # crown bottom stays above any camera
    g = b.group(x, y, 0.3, 0.3)
    b.add("cyl", g, (x, y, z0 + (cz - z0) / 2), (0.16 * big, 0.16 * big, (cz - z0) / 2), C.VEGETATION, MAT_BARK,
          (0.3, 0.22, 0.16))
    b.add("ell", g, (x, y, cz), (r, r, rz), C.VEGETATION, MAT_FOLIAGE, foliage,
          tuple(np.clip(np.array(foliage) * 0.55, 0, 1)))


def _add_pedestrian(b: PrimBuilder, rng, x, y, z0, vx, vy):
    h = rng.uniform(1.55, 1.92)
    r = rng.uniform(0.19, 0.26)
    body_top = h - 0.26
    g = b.group(x, y, r, r, vx, vy)
    top, bottom = P.pick(rng, P.CLOTHES), P.pick(rng, P.CLOTHES)
    b.add("cyl", g, (x, y, z0 + body_top / 2), (r, r, body_top / 2), C.PERSON, MAT_CLOTHES, top, bottom,
          aux=(z0 + 0.47 * h, 0, 0, 0), vel=(vx, vy, 0))
    b.add("ell", g, (x, y, z0 + h - 0.13), (0.11, 0.11, 0.14), C.PERSON, MAT_SKIN, P.pick(rng, P.SKIN, 0.03),
          vel=(vx, vy, 0))


def _add_pole(b: PrimBuilder, rng, x, y, z0, street_dir, metal):
    """Street light: pole, arm over the road, lamp head."""
    h = rng.uniform(5.5, 9.0)
    r = rng.uniform(0.08, 0.13)
    g = b.group(x, y, r + 0.1, r + 0.1)
    b.add("cyl", g, (x, y, z0 + h / 2), (r, r, h / 2), C.POLE, MAT_METAL, metal)
    arm = rng.uniform(0.8, 2.2)
    ax, ay = street_dir * (arm / 2 + r)
    half = np.abs(street_dir) * arm / 2 + (1 - np.abs(street_dir)) * 0.06
    b.add("box", g, (x + ax, y + ay, z0 + h - 0.1), (half[0], half[1], 0.06), C.POLE, MAT_METAL, metal)
    hx, hy = street_dir * (arm + r)
    b.add("box", g, (x + hx, y + hy, z0 + h - 0.22), (0.25, 0.25, 0.09), C.POLE, MAT_METAL, metal)


def _add_sign(b: PrimBuilder, rng, x, y, z0, facing):
    """Sign on a thin pole; the board faces `facing` (a unit axis vector)."""
    h = rng.uniform(2.2, 2.9)
    g = b.group(x, y, 0.3, 0.3)
    b.add("cyl", g, (x, y, z0 + h / 2), (0.04, 0.04, h / 2), C.POLE, MAT_METAL, (0.55, 0.56, 0.58))
    w = rng.uniform(0.55, 0.85)
    thick = np.abs(facing) * 0.03 + (1 - np.abs(facing)) * w / 2
    ox, oy = facing * 0.07
    colour = P.pick(rng, P.SIGN, 0.03)
    axis = 0 if abs(facing[0]) > 0.5 else 1
    b.add("box", g, (x + ox, y + oy, z0 + h + w / 2 - 0.1), (thick[0], thick[1], w / 2), C.TRAFFIC_SIGN,
          MAT_SIGN, colour, (0.95, 0.95, 0.95), aux=(axis, float(rng.integers(0, 2)), 0, 0))


def _add_traffic_light(b: PrimBuilder, rng, x, y, z0, facing, state):
    h = rng.uniform(2.4, 3.2)
    g = b.group(x, y, 0.3, 0.3)
    b.add("cyl", g, (x, y, z0 + h / 2), (0.07, 0.07, h / 2), C.POLE, MAT_METAL, (0.3, 0.31, 0.3))
    half = np.abs(facing) * 0.14 + (1 - np.abs(facing)) * 0.17
    ox, oy = facing * 0.2
    axis = 0 if abs(facing[0]) > 0.5 else 1
    sign = 1.0 if facing[axis] > 0 else -1.0
    b.add("box", g, (x + ox, y + oy, z0 + h + 0.45), (half[0], half[1], 0.47), C.TRAFFIC_LIGHT, MAT_LIGHT,
          (0.1, 0.1, 0.1), aux=(axis, sign, state, 0))


def block_sides(layout: CityLayout, i: int, j: int):
    """The four building lines of block (i, j): start corner a, direction e, outward normal n, length."""
    sh = layout.street_half
    x0, x1 = i * layout.period_x + sh, (i + 1) * layout.period_x - sh
    y0, y1 = j * layout.period_y + sh, (j + 1) * layout.period_y - sh
    out = []
    for a, e, n in (((x0, y0), (1, 0), (0, -1)), ((x1, y1), (-1, 0), (0, 1)),
                    ((x0, y1), (0, -1), (-1, 0)), ((x1, y0), (0, 1), (1, 0))):
        a, e, n = np.array(a, float), np.array(e, float), np.array(n, float)
        out.append((a, e, n, float(np.abs(np.dot(np.array([x1 - x0, y1 - y0]), e)))))
    return out


def make_block(layout: CityLayout, i: int, j: int, seed: int, b: PrimBuilder, density: dict) -> List[RowSpec]:
    rng = np.random.default_rng([seed, 11, i + 100000, j + 100000])
    kh = layout.kerb_height
    style = rng.choice(3, p=[0.35, 0.55, 0.1])  # downtown, residential, park
    hmin, hmax = ((12, 42), (6, 17), (6, 10))[style]
    open_p = (0.08, 0.18, 1.0)[style]
    metal = P.pick(rng, [(0.35, 0.36, 0.38), (0.2, 0.25, 0.2), (0.6, 0.6, 0.6)], 0.03)
    rows = []
    for a, e, n, length in block_sides(layout, i, j):
        widths = _lot_widths(rng, length)
        k = len(widths)
        bounds = np.concatenate([[0.0], np.cumsum(widths)])
        bounds = np.concatenate([bounds, length + 1000.0 * np.arange(1, MAX_LOTS + 2 - len(bounds))])
        heights = np.zeros(MAX_LOTS)
        depths = np.zeros(MAX_LOTS)
        colour = np.zeros((MAX_LOTS, 3))
        trim = np.zeros((MAX_LOTS, 3))
        lot_style = np.zeros((MAX_LOTS, 4))
        foliage = P.pick(rng, P.FOLIAGE, 0.04)
        for li in range(k):
            u0, u1 = bounds[li], bounds[li + 1]
            if rng.random() >= open_p:
                heights[li] = rng.uniform(hmin, hmax)
                depths[li] = rng.uniform(10, 22)
                colour[li] = P.pick(rng, P.FACADE, 0.06)
                trim[li] = P.pick(rng, P.TRIM, 0.04)
                lot_style[li] = (rng.uniform(2.4, 4.2), rng.uniform(2.9, 3.6), rng.integers(0, 3),
                                 rng.uniform(0.3, 0.65))
                continue
            # open lot: something along the frontage, trees behind it
            front = rng.choice(3, p=[0.4, 0.4, 0.2])  # wall, fence, hedge
            lo, hi = u0 + 0.3, u1 - 0.3
            mid = a + e * (lo + hi) / 2 - n * 0.15
            half_u = (hi - lo) / 2
            half = np.abs(e) * half_u + np.abs(n) * 0.15
            fh = rng.uniform(0.9, 2.3)
            g = b.group(mid[0], mid[1], half[0], half[1])
            if front == 0:
                b.add("box", g, (mid[0], mid[1], kh + fh / 2), (half[0], half[1], fh / 2), C.WALL, MAT_WALL,
                      P.pick(rng, [(0.6, 0.58, 0.55), (0.45, 0.42, 0.4), (0.7, 0.62, 0.5)], 0.05),
                      aux=(rng.integers(0, 2), 0, 0, 0))
            elif front == 1:
                axis = 0 if abs(n[0]) > 0.5 else 1
                fh = min(fh, 2.0) + 0.3
                b.add("cut", g, (mid[0], mid[1], kh + fh / 2),
                      (np.abs(e[0]) * half_u, np.abs(e[1]) * half_u, fh / 2), C.FENCE, MAT_FENCE, metal,
                      aux=(axis, CUT_BARS, rng.uniform(0.1, 0.25), rng.uniform(0.2, 0.5)))
            else:
                half_h = np.abs(e) * half_u + np.abs(n) * 0.5
                hm = mid - n * 0.35
                b.add("box", g, (hm[0], hm[1], kh + fh / 2), (half_h[0], half_h[1], fh / 2), C.VEGETATION,
                      MAT_FOLIAGE, foliage, tuple(np.array(foliage) * 0.5))
            for _ in range(int(rng.integers(1, 4))):
                p = a + e * rng.uniform(lo + 2, max(lo + 2.1, hi - 2)) - n * rng.uniform(3, 12)
                _add_tree(b, rng, p[0], p[1], kh, P.pick(rng, P.FOLIAGE, 0.05), big=rng.uniform(1.0, 1.5))
        rows.append(RowSpec(a, e, n, length, bounds, heights, depths, colour, trim, lot_style))
        _sidewalk_furniture(layout, rng, b, a, e, n, length, metal, foliage, density)
    return rows


def _sidewalk_furniture(layout, rng, b, a, e, n, length, metal, foliage, density):
    ws, kh = layout.sidewalk, layout.kerb_height
    kerb = a + n * ws  # kerb line start
    # right-hand traffic in the lane beside this kerb drives along `fwd`
    fwd = np.array([n[1], -n[0]])
    poles = []
    u = rng.uniform(3, 15)
    while u < length - 2:
        p = kerb - n * 0.45 + e * u
        _add_pole(b, rng, p[0], p[1], kh, n, metal)
        poles.append(u)
        u += rng.uniform(18, 35)
    if rng.random() < density["tree_rows"]:
        u = rng.uniform(2, 8)
        spacing = rng.uniform(7, 13)
        while u < length - 2:
            if all(abs(u - q) > 2 for q in poles):
                p = kerb - n * 0.9 + e * u
                _add_tree(b, rng, p[0], p[1], kh, P.pick(rng, [foliage], 0.03))
            u += spacing
    for _ in range(int(rng.integers(0, 3))):
        u = rng.uniform(3, length - 3)
        p = kerb - n * 0.35 + e * u
        _add_sign(b, rng, p[0], p[1], kh, -fwd)
    # traffic light where this lane reaches the intersection
    end = length - 1.0 if np.dot(e, fwd) > 0 else 1.0
    p = kerb - n * 0.35 + e * end
    _add_traffic_light(b, rng, p[0], p[1], kh, -fwd, float(rng.integers(0, 3)))
    count = rng.poisson(length * density["pedestrians"])
    for _ in range(count):
        u = rng.uniform(-5, length + 5)
        off = rng.uniform(0.4, ws - 0.4)
        speed = 0.0 if rng.random() < 0.2 else rng.uniform(0.6, 1.7)
        v = e * speed * rng.choice([-1, 1])
        p = a + e * u + n * off
        _add_pedestrian(b, rng, p[0], p[1], kh, v[0], v[1])
