"""Open blocks of randomised worlds (see city.py): paved plazas with crowds and trees, lawns crossed
by paths with walkers, trees, hedges and shrubs, parking lots with rows of parked cars. Sidewalk furniture along
the four sides is the same as around built blocks."""
import numpy as np
import torch

from . import palette as P
from .blocks import _add_pedestrian, _add_pole, _add_tree, _sidewalk_furniture, block_sides
from .city import (AISLE, BLOCK_PARK, BLOCK_PLAZA, STALL_DEPTH, STALL_WIDTH, CityLayout, park_path_params,
                   park_paths, parking_origin)
from . import classes as C
from .primitives import MAT_FOLIAGE, PrimBuilder
from .traffic import add_vehicle


def _crowd(b: PrimBuilder, rng, cx, cy, hx, hy, z0, count):
    """A group of people around a point; a walking group shares its direction."""
    px, py = rng.uniform(-hx + 2, hx - 2), rng.uniform(-hy + 2, hy - 2)
    spread = rng.uniform(0.8, 4.0)
    walking = rng.random() < 0.6
    heading = rng.uniform(0, 2 * np.pi)
    for _ in range(count):
        x = np.clip(px + rng.normal(0, spread), -hx + 0.5, hx - 0.5)
        y = np.clip(py + rng.normal(0, spread), -hy + 0.5, hy - 0.5)
        speed = rng.uniform(0.7, 1.5) if walking and rng.random() < 0.9 else 0.0
        a = heading + rng.normal(0, 0.2)
        _add_pedestrian(b, rng, cx + x, cy + y, z0, speed * np.cos(a), speed * np.sin(a))


def _plaza(layout, rng, b, cx, cy, hx, hy, metal):
    kh = layout.kerb_height
    for _ in range(int(rng.integers(2, 8))):
        _crowd(b, rng, cx, cy, hx, hy, kh, int(rng.integers(3, 26)))
    for _ in range(int(rng.integers(0, 10))):
        _add_tree(b, rng, cx + rng.uniform(-hx + 2, hx - 2), cy + rng.uniform(-hy + 2, hy - 2), kh,
                  P.pick(rng, P.FOLIAGE, 0.05), big=rng.uniform(0.8, 1.3))
    for _ in range(int(rng.integers(1, 5))):
        axis = np.array([1.0, 0.0]) if rng.random() < 0.5 else np.array([0.0, 1.0])
        _add_pole(b, rng, cx + rng.uniform(-hx + 1, hx - 1), cy + rng.uniform(-hy + 1, hy - 1), kh, axis, metal)


def _add_foliage_box(b: PrimBuilder, centre, half, foliage):
    g = b.group(centre[0], centre[1], half[0], half[1])
    b.add("box", g, centre, half, C.VEGETATION, MAT_FOLIAGE, foliage, tuple(np.clip(np.array(foliage) * 0.55, 0, 1)))


def _clear_of_paths(layout, bx, by, x, y, hx, hy) -> bool:
    """Whether a block-local footprint (centre x, y; half extents hx, hy; 0.3 m margin) misses
    every path of park (bx, by), the diagonal included."""
    gx = torch.linspace(x - hx - 0.3, x + hx + 0.3, max(2, int(np.ceil(2 * hx / 0.5)) + 1), dtype=torch.float64)
    gy = torch.linspace(y - hy - 0.3, y + hy + 0.3, max(2, int(np.ceil(2 * hy / 0.5)) + 1), dtype=torch.float64)
    lx, ly = torch.meshgrid(gx, gy, indexing="ij")
    return not bool(park_paths(layout, torch.tensor(bx), torch.tensor(by), lx, ly).any())


def _hedges(b: PrimBuilder, rng, layout, bx, by, cx, cy, half_run, path_off, path_half, along_x, foliage):
    """Clipped hedges (vegetation at eye level, unlike the trees' crowns) lining one path on the lawn,
    in segments with gaps; a segment that would touch a path (a crossing, the diagonal) is left out."""
    height, thick = rng.uniform(0.5, 1.7), rng.uniform(0.3, 0.7)
    for side in (-1.0, 1.0):
        if rng.random() < 0.3:
            continue
        across = path_off + side * (path_half + 0.4 + thick)
        u = -half_run + 1.0
        while u < half_run - 2.0:
            length = min(rng.uniform(3.0, 14.0), half_run - 1.0 - u)
            mid = u + length / 2
            x, y = (mid, across) if along_x else (across, mid)
            hx, hy = (length / 2, thick) if along_x else (thick, length / 2)
            if _clear_of_paths(layout, bx, by, x, y, hx, hy):
                _add_foliage_box(b, (cx + x, cy + y, layout.kerb_height + height / 2), (hx, hy, height / 2), foliage)
            u += length + rng.uniform(0.8, 4.0)


def _park(layout, rng, b, cx, cy, hx, hy, bx, by):
    kh = layout.kerb_height
    w1, o1, w2, o2, _ = (float(v) for v in park_path_params(layout, torch.tensor(bx), torch.tensor(by)))
    for _ in range(int(rng.integers(6, 30))):
        x, y = rng.uniform(-hx + 1.5, hx - 1.5), rng.uniform(-hy + 1.5, hy - 1.5)
        if abs(y - o1) < w1 + 2 or abs(x - o2) < w2 + 2:
            continue  # trees stand on the lawn, not on the paths
        _add_tree(b, rng, cx + x, cy + y, kh, P.pick(rng, P.FOLIAGE, 0.06), big=rng.uniform(0.8, 1.6))
    for _ in range(int(rng.poisson(rng.uniform(3, 18)))):  # walkers on the paths
        sgn = rng.choice([-1.0, 1.0])
        speed = rng.uniform(0.7, 1.6) if rng.random() < 0.85 else 0.0
        if rng.random() < 0.5:
            x, y, vx, vy = rng.uniform(-hx, hx), o1 + rng.uniform(-w1, w1) * 0.6, sgn * speed, 0.0
        else:
            x, y, vx, vy = o2 + rng.uniform(-w2, w2) * 0.6, rng.uniform(-hy, hy), 0.0, sgn * speed
        _add_pedestrian(b, rng, cx + x, cy + y, kh, vx, vy)
    for _ in range(int(rng.integers(0, 4))):  # people on the lawn
        _add_pedestrian(b, rng, cx + rng.uniform(-hx + 1, hx - 1), cy + rng.uniform(-hy + 1, hy - 1), kh, 0.0, 0.0)
    # drawn after everything above, so the trees and walkers stay where they were before hedges existed
    foliage = P.pick(rng, P.FOLIAGE, 0.06)
    if rng.random() < 0.6:
        _hedges(b, rng, layout, bx, by, cx, cy, hx, o1, w1, True, foliage)
    if rng.random() < 0.6:
        _hedges(b, rng, layout, bx, by, cx, cy, hy, o2, w2, False, foliage)
    for _ in range(int(rng.integers(0, 14))):  # shrubs on the lawn, their round bottoms a little sunk
        x, y = rng.uniform(-hx + 2.0, hx - 2.0), rng.uniform(-hy + 2.0, hy - 2.0)
        r = rng.uniform(0.5, 1.6)
        ry, rz = r * rng.uniform(0.7, 1.3), r * rng.uniform(0.5, 0.9)
        if _clear_of_paths(layout, bx, by, x, y, r, ry):
            g = b.group(cx + x, cy + y, r, ry)
            b.add("ell", g, (cx + x, cy + y, kh + 0.8 * rz), (r, ry, rz), C.VEGETATION, MAT_FOLIAGE,
                  foliage, tuple(np.clip(np.array(foliage) * 0.55, 0, 1)))


def _parking(layout, rng, b, cx, cy, metal):
    x0, y0 = parking_origin(layout)
    fill = rng.uniform(0.45, 0.97)
    stalls = int(np.floor(-2 * x0 / STALL_WIDTH))
    period = 2 * STALL_DEPTH + AISLE
    rows = int(np.floor((-2 * y0 + AISLE) / period))
    for m in range(rows):
        for row_y in (STALL_DEPTH / 2, 1.5 * STALL_DEPTH):
            y = cy + y0 + m * period + row_y
            for k in range(stalls):
                if rng.random() < fill:
                    x = cx + x0 + (k + 0.5) * STALL_WIDTH
                    add_vehicle(b, rng, "car", y, x, 1, 0.0 * rng.choice([-1.0, 1.0]))
        aisle_y = cy + y0 + m * period + 2 * STALL_DEPTH + AISLE / 2
        for _ in range(int(rng.integers(0, 3))):
            speed = rng.uniform(0.8, 1.5) * rng.choice([-1.0, 1.0])
            _add_pedestrian(b, rng, cx + rng.uniform(x0, -x0), aisle_y + rng.uniform(-2, 2), 0.0, speed, 0.0)
    for k in range(int(rng.integers(1, 4))):
        _add_pole(b, rng, cx + rng.uniform(x0, -x0), cy + y0 - 0.8, 0.0, np.array([0.0, 1.0]), metal)


def make_open_block(layout: CityLayout, i: int, j: int, kind: int, seed: int, b: PrimBuilder, density: dict):
    """An open block (BLOCK_PLAZA, BLOCK_PARK or BLOCK_PARKING); it has no building rows."""
    rng = np.random.default_rng([seed, 12, i + 100000, j + 100000])
    metal = P.pick(rng, [(0.35, 0.36, 0.38), (0.2, 0.25, 0.2), (0.6, 0.6, 0.6)], 0.03)
    foliage = P.pick(rng, P.FOLIAGE, 0.04)
    for a, e, n, length in block_sides(layout, i, j):
        _sidewalk_furniture(layout, rng, b, a, e, n, length, metal, foliage, density)
    cx, cy = (i + 0.5) * layout.period_x, (j + 0.5) * layout.period_y
    hx, hy = layout.period_x / 2 - layout.street_half, layout.period_y / 2 - layout.street_half
    if kind == BLOCK_PLAZA:
        _plaza(layout, rng, b, cx, cy, hx, hy, metal)
    elif kind == BLOCK_PARK:
        _park(layout, rng, b, cx, cy, hx, hy, i, j)
    else:
        _parking(layout, rng, b, cx, cy, metal)
