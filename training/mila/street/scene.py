"""A whole street world for one seed: layout, ego route, camera rig, look, buildings and objects.

Everything is a deterministic function of the seed; content is generated around the whole
WORLD_SECONDS drive, so any time window of a seed sees the same world."""
import dataclasses
import functools
from dataclasses import dataclass
from typing import Dict, List

import numpy as np
import torch

from .appearance import Appearance
from .blocks import RowSpec, make_block
from .city import BLOCK_BUILT, CityLayout, block_kind
from .open_blocks import make_open_block
from .primitives import PrimBuilder, PrimTable
from .route import WORLD_SECONDS, CameraRig, Route, make_route
from .traffic import make_street_traffic

CONTENT_RADIUS = 190.0   # blocks and streets farther than this from the whole route are not generated
EGO_CLEARANCE = 1.3      # objects whose footprint ever comes this close to the ego path are removed


@dataclass
class StreetScene:
    seed: int
    layout: CityLayout
    route: Route
    rig: CameraRig
    look: Appearance
    rows: List[RowSpec]
    prims: Dict[str, PrimTable]


def _colliding_groups(footprints: np.ndarray, route: Route) -> np.ndarray:
    """[G] bool: the object's footprint comes within EGO_CLEARANCE of the ego car at some time."""
    times = np.arange(0.0, WORLD_SECONDS + 1e-9, 0.1)
    ego, _ = route.evaluate(route.distance(times))  # [S, 2]
    hit = np.zeros(len(footprints), bool)
    for start in range(0, len(footprints), 512):
        f = footprints[start:start + 512]
        cx = f[:, None, 0] + f[:, None, 2] * times[None]
        cy = f[:, None, 1] + f[:, None, 3] * times[None]
        dx = np.maximum(np.abs(ego[None, :, 0] - cx) - f[:, None, 4], 0)
        dy = np.maximum(np.abs(ego[None, :, 1] - cy) - f[:, None, 5], 0)
        hit[start:start + 512] = ((dx ** 2 + dy ** 2) < EGO_CLEARANCE ** 2).any(1)
    return hit


def _open_layout(seed: int, layout: CityLayout, density: dict) -> CityLayout:
    """Randomised worlds: open blocks, crowds, fuller parking (a separate random stream, so the
    plain world of a seed is unchanged)."""
    rng = np.random.default_rng([seed, 2])
    density["pedestrians"] = float(rng.uniform(0.04, 0.2))  # plain worlds: 0.03-0.09 per metre of sidewalk
    density["parked"] = float(rng.uniform(0.6, 1.0))
    open_blocks = float(np.round(rng.uniform(0.25, 0.6) * 64) / 64)  # exact in float32: see city.block_kind
    return dataclasses.replace(layout, open_blocks=open_blocks, block_salt=float(rng.integers(0, 2 ** 20)))


@functools.lru_cache(maxsize=256)  # a scene is ~1 MB; building one takes ~0.5 s of CPU
def build_scene(seed: int, layouts: bool = False) -> StreetScene:
    """The world of a seed; layouts=True is its randomised variant (open blocks, crowds)."""
    rng = np.random.default_rng([seed, 1])
    layout = CityLayout.random(rng)
    route = make_route(layout, rng)
    rig = CameraRig.random(rng)
    look = Appearance.random(rng)
    density = {"pedestrians": float(rng.uniform(0.03, 0.09)), "tree_rows": float(rng.uniform(0.3, 0.9)),
               "traffic_gap": float(rng.uniform(15, 60)), "bike_gap": float(rng.uniform(60, 200)),
               "parked": float(rng.uniform(0.4, 0.9))}
    if layouts:
        layout = _open_layout(seed, layout, density)
    samples, _ = route.evaluate(route.distance(np.arange(0.0, WORLD_SECONDS + 1e-9, 0.5)))
    lo, hi = samples.min(0) - CONTENT_RADIUS, samples.max(0) + CONTENT_RADIUS
    b = PrimBuilder()
    rows: List[RowSpec] = []
    px, py = layout.period_x, layout.period_y
    for i in range(int(np.floor(lo[0] / px)) - 1, int(np.ceil(hi[0] / px)) + 1):
        for j in range(int(np.floor(lo[1] / py)) - 1, int(np.ceil(hi[1] / py)) + 1):
            centre = np.array([(i + 0.5) * px, (j + 0.5) * py])
            reach = CONTENT_RADIUS + 0.75 * max(px, py)
            if np.min(np.sum((samples - centre) ** 2, 1)) > reach ** 2:
                continue
            kind = int(block_kind(layout, torch.tensor(i), torch.tensor(j))) if layouts else BLOCK_BUILT
            if kind == BLOCK_BUILT:
                rows += make_block(layout, i, j, seed, b, density)
            else:
                make_open_block(layout, i, j, kind, seed, b, density)
    near = lambda p, axis: np.abs(samples[:, axis] - p).min() < CONTENT_RADIUS
    for j in range(int(np.floor(lo[1] / py)), int(np.ceil(hi[1] / py)) + 1):
        if near(j * py, 1):
            make_street_traffic(layout, 0, j, lo[0], hi[0], seed, b, density)
    for i in range(int(np.floor(lo[0] / px)), int(np.ceil(hi[0] / px)) + 1):
        if near(i * px, 0):
            make_street_traffic(layout, 1, i, lo[1], hi[1], seed, b, density)
    keep = ~_colliding_groups(b.footprints(), route)
    return StreetScene(seed, layout, route, rig, look, rows, b.tables(keep))
