"""Tables of scene primitives (numpy while building a scene, torch when rendering).

Kinds: 'box' axis-aligned boxes, 'cyl' vertical cylinders, 'ell' axis-aligned ellipsoids,
'cut' thin vertical rectangles with a cut-out pattern (fences, bicycles).
Every primitive: centre at time 0, velocity (moving objects: centre(t) = centre + vel * t),
size (box half extents; cylinder (r, r, half height); ellipsoid radii; cut-out half extents),
label (train id), material, two sRGB colours, 4 material parameters, group (one object)."""
from dataclasses import dataclass
from typing import Dict, List

import numpy as np

KINDS = ("box", "cyl", "ell", "cut")

# materials of primitives
MAT_BODY, MAT_CABIN, MAT_WALL, MAT_METAL, MAT_SIGN, MAT_LIGHT, MAT_FOLIAGE, MAT_BARK = range(8)
MAT_CLOTHES, MAT_SKIN, MAT_BUS, MAT_CARGO, MAT_FENCE, MAT_BIKE = range(8, 14)

# cut-out patterns
CUT_BARS, CUT_BICYCLE = 0, 1


@dataclass
class PrimTable:
    centre: np.ndarray  # [n, 3]
    vel: np.ndarray     # [n, 3]
    size: np.ndarray    # [n, 3]
    label: np.ndarray   # [n] int
    material: np.ndarray
    col1: np.ndarray    # [n, 3] sRGB 0..1
    col2: np.ndarray
    aux: np.ndarray     # [n, 4]
    group: np.ndarray   # [n] int

    def __len__(self) -> int:
        return len(self.label)

    def select(self, keep: np.ndarray) -> "PrimTable":
        return PrimTable(*(getattr(self, f)[keep] for f in PrimTable.__dataclass_fields__))


class PrimBuilder:
    """Collects primitives grouped into objects with a 2D footprint (for the ego collision check)."""

    def __init__(self):
        self.rows: Dict[str, List[tuple]] = {k: [] for k in KINDS}
        self.groups: List[tuple] = []  # (cx, cy, vx, vy, hx, hy)

    def group(self, cx, cy, hx, hy, vx=0.0, vy=0.0) -> int:
        self.groups.append((cx, cy, vx, vy, hx, hy))
        return len(self.groups) - 1

    def add(self, kind, group, centre, size, label, material, col1, col2=(0, 0, 0), aux=(0, 0, 0, 0), vel=(0, 0, 0)):
        self.rows[kind].append((tuple(centre), tuple(vel), tuple(size), label, material,
                                tuple(col1), tuple(col2), tuple(aux), group))

    def tables(self, keep_group: np.ndarray) -> Dict[str, PrimTable]:
        out = {}
        for kind, rows in self.rows.items():
            if rows:
                cols = list(zip(*rows))
                t = PrimTable(*(np.array(c, dtype=np.float64 if i not in (3, 4, 8) else np.int64)
                                for i, c in enumerate(cols)))
                out[kind] = t.select(keep_group[t.group])
            else:
                z3 = np.zeros((0, 3))
                zi = np.zeros(0, np.int64)
                out[kind] = PrimTable(z3, z3, z3, zi, zi, z3, z3, np.zeros((0, 4)), zi)
        return out

    def footprints(self) -> np.ndarray:
        return np.array(self.groups, dtype=np.float64).reshape(-1, 6)
