"""City layout: a grid of streets (x-streets are the lines x = i*period_x, y-streets the lines
y = j*period_y, world z up), roads between kerbs, raised sidewalks, block interiors (terrain)."""
from dataclasses import dataclass

import numpy as np
import torch

ZONE_ROAD, ZONE_SIDEWALK, ZONE_TERRAIN = 0, 1, 2


@dataclass(frozen=True)
class CityLayout:
    period_x: float      # distance between x-streets (m)
    period_y: float
    lanes: int           # driving lanes per direction
    lane_width: float
    parking: float       # parking strip width per side, 0 = none
    sidewalk: float      # sidewalk width
    kerb_height: float

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


def ground_zone(layout: CityLayout, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """0 road, 1 sidewalk, 2 block interior (terrain), per point."""
    ax, ay = street_offsets(layout, x, y)
    road = (ax < layout.road_half) | (ay < layout.road_half)
    side = (ax < layout.street_half) | (ay < layout.street_half)
    zone = torch.full_like(x, ZONE_TERRAIN, dtype=torch.long)
    zone = torch.where(side, torch.full_like(zone, ZONE_SIDEWALK), zone)
    return torch.where(road, torch.full_like(zone, ZONE_ROAD), zone)
