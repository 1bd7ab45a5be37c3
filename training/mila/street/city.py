"""City layout: a grid of streets (x-streets are the lines x = i*period_x, y-streets the lines
y = j*period_y, world z up), roads between kerbs, raised sidewalks, block interiors (terrain).

Randomised worlds (mila.street.randomize) also have open blocks: a fraction `open_blocks` of the
blocks, chosen by a hash of the block index, is a paved plaza, a lawn crossed by paths or a parking
lot instead of building rows around a yard; plain worlds have open_blocks = 0."""
from dataclasses import dataclass

import numpy as np
import torch

from .noise import hash2

ZONE_ROAD, ZONE_SIDEWALK, ZONE_TERRAIN = 0, 1, 2
BLOCK_BUILT, BLOCK_PLAZA, BLOCK_PARK, BLOCK_PARKING = 0, 1, 2, 3
OPEN_KINDS = (BLOCK_PLAZA, BLOCK_PARK, BLOCK_PARKING)
PARKING_INSET = 2.0     # raised paving between a parking lot and the sidewalk (m)
STALL_WIDTH, STALL_DEPTH, AISLE = 2.6, 5.0, 6.5  # parking lot rows: two rows of stalls, then an aisle
PATH_HALF = (0.6, 1.4)  # park path half widths (m)


@dataclass(frozen=True)
class CityLayout:
    period_x: float      # distance between x-streets (m)
    period_y: float
    lanes: int           # driving lanes per direction
    lane_width: float
    parking: float       # parking strip width per side, 0 = none
    sidewalk: float      # sidewalk width
    kerb_height: float
    open_blocks: float = 0.0  # fraction of blocks that are plazas, parks or parking lots (multiple of 1/64)
    block_salt: float = 0.0   # hash salt of the open-block choice (an integer < 2**20)

    @property
    def road_half(self) -> float:
        return self.lanes * self.lane_width + self.parking

    @property
    def street_half(self) -> float:
        """Half width from street centre line to the building line."""
        return self.road_half + self.sidewalk

    @staticmethod
    def random(rng: np.random.Generator) -> "CityLayout":
        return CityLayout(
            period_x=float(rng.uniform(75, 120)), period_y=float(rng.uniform(75, 120)),
            lanes=int(rng.choice([1, 2], p=[0.55, 0.45])), lane_width=float(rng.uniform(3.0, 3.6)),
            parking=float(rng.choice([0.0, 2.3], p=[0.3, 0.7])), sidewalk=float(rng.uniform(2.8, 5.0)),
            kerb_height=float(rng.uniform(0.1, 0.17)))


def street_offsets(layout: CityLayout, x: torch.Tensor, y: torch.Tensor):
    """Distances to the nearest x-street and y-street centre lines, and those lines' coordinates."""
    sx = torch.round(x / layout.period_x) * layout.period_x
    sy = torch.round(y / layout.period_y) * layout.period_y
    return (x - sx).abs(), (y - sy).abs()


def has_open_blocks(layout: CityLayout) -> bool:
    return bool((torch.as_tensor(layout.open_blocks) > 0).any())


def block_kind(layout: CityLayout, bx: torch.Tensor, by: torch.Tensor) -> torch.Tensor:
    """BLOCK_* of the blocks with integer indices (bx, by) (block (i, j) lies between x-streets i and
    i + 1 and y-streets j and j + 1). Integer hashing: the scene builder and the renderer agree exactly."""
    salt = torch.as_tensor(layout.block_salt).long()
    u = hash2(bx, by, salt)
    v = hash2(bx, by, salt + 7)
    open_kind = 1 + torch.clamp((v * 3).long(), max=2)
    return torch.where(u < torch.as_tensor(layout.open_blocks, dtype=u.dtype), open_kind, torch.zeros_like(open_kind))


def block_local(layout: CityLayout, x: torch.Tensor, y: torch.Tensor):
    """Block indices of points and their coordinates relative to the block centre."""
    bx, by = torch.floor(x / layout.period_x), torch.floor(y / layout.period_y)
    return bx.long(), by.long(), x - (bx + 0.5) * layout.period_x, y - (by + 0.5) * layout.period_y


def park_path_params(layout: CityLayout, bx, by):
    """A park's paths: half width w1 and offset o1 (block-local y) of the path along x, w2 and o2
    (block-local x) of the path along y, and whether a diagonal (half width w1) crosses the park."""
    salt = torch.as_tensor(layout.block_salt).long()
    h = lambda k: hash2(bx, by, salt + k)  # noqa: E731
    lo, hi = PATH_HALF
    w1, w2 = lo + (hi - lo) * h(11), lo + (hi - lo) * h(12)
    o1 = (h(13) - 0.5) * 0.4 * layout.period_y
    o2 = (h(14) - 0.5) * 0.4 * layout.period_x
    return w1, o1, w2, o2, h(15) < 0.5


def park_paths(layout: CityLayout, bx, by, lx, ly) -> torch.Tensor:
    """Whether block-local points lie on a park's paths."""
    w1, o1, w2, o2, has_diag = park_path_params(layout, bx, by)
    on = ((ly - o1).abs() < w1) | ((lx - o2).abs() < w2)
    norm = (layout.period_x ** 2 + layout.period_y ** 2) ** 0.5
    diag = (lx * layout.period_y - ly * layout.period_x).abs() / norm < w1
    return on | (diag & has_diag)


def ground_zone(layout: CityLayout, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """0 road, 1 sidewalk, 2 block interior (terrain), per point."""
    ax, ay = street_offsets(layout, x, y)
    road = (ax < layout.road_half) | (ay < layout.road_half)
    side = (ax < layout.street_half) | (ay < layout.street_half)
    zone = torch.full_like(x, ZONE_TERRAIN, dtype=torch.long)
    zone = torch.where(side, torch.full_like(zone, ZONE_SIDEWALK), zone)
    zone = torch.where(road, torch.full_like(zone, ZONE_ROAD), zone)
    if not has_open_blocks(layout):
        return zone
    # open blocks: plazas are paved, parks have paths across the lawn, parking lots are asphalt at
    # road level inside a raised paved border
    # (hashed on block interior points only: most ground points of a street view are road or sidewalk)
    shape = torch.broadcast_shapes(x.shape, y.shape, torch.as_tensor(layout.period_x).shape,
                                   torch.as_tensor(layout.block_salt).shape)
    interior = (zone == ZONE_TERRAIN).expand(shape)
    sel = interior.nonzero(as_tuple=True)
    if not sel[0].numel():
        return zone
    pick = lambda v: torch.as_tensor(v, device=x.device).expand(shape)[sel]  # noqa: E731
    lay = CityLayout(**{f: pick(getattr(layout, f)) for f in CityLayout.__dataclass_fields__})
    bx, by, lx, ly = block_local(lay, pick(x), pick(y))
    kind = block_kind(lay, bx, by)
    park = (kind == BLOCK_PARK).nonzero(as_tuple=True)[0]
    on_path = torch.zeros_like(kind, dtype=torch.bool)
    if park.numel():
        sub = CityLayout(**{f: getattr(lay, f)[park] for f in CityLayout.__dataclass_fields__})
        on_path[park] = park_paths(sub, bx[park], by[park], lx[park], ly[park])
    inset = torch.minimum(pick(ax), pick(ay)) > lay.street_half + PARKING_INSET
    new = torch.where((kind == BLOCK_PLAZA) | on_path, torch.full_like(kind, ZONE_SIDEWALK), torch.full_like(kind, ZONE_TERRAIN))
    new = torch.where((kind == BLOCK_PARKING) & inset, torch.full_like(kind, ZONE_ROAD), new)
    zone = zone.expand(shape).clone()
    zone[sel] = new
    return zone


def parking_origin(layout: CityLayout):
    """Block-local corner (x0, y0) of a parking lot's asphalt; stalls and rows count from it."""
    return (-(layout.period_x / 2 - layout.street_half - PARKING_INSET),
            -(layout.period_y / 2 - layout.street_half - PARKING_INSET))


def stall_lines(layout: CityLayout, lx, ly):
    """Painted stall separators of a parking lot (block-local points; only meaningful inside a lot)."""
    x0, y0 = parking_origin(layout)
    q = torch.remainder(ly - y0, 2 * STALL_DEPTH + AISLE)
    return (q < 2 * STALL_DEPTH) & (torch.remainder(lx - x0, STALL_WIDTH) < 0.1)
