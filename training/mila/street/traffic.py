"""Vehicles: moving cars, trucks, buses and two-wheelers in their lanes, and parked cars."""
import numpy as np

from . import classes as C
from . import palette as P
from .city import CityLayout
from .primitives import CUT_BICYCLE, MAT_BIKE, MAT_BODY, MAT_BUS, MAT_CABIN, MAT_CARGO, MAT_CLOTHES, MAT_SKIN, PrimBuilder


def _box(centre_along, lateral, z0, half_len, half_wid, half_h, axis):
    """Centre and half extents of a box aligned with a street running along `axis` (0 x, 1 y)."""
    if axis == 0:
        return (centre_along, lateral, z0 + half_h), (half_len, half_wid, half_h)
    return (lateral, centre_along, z0 + half_h), (half_wid, half_len, half_h)


def add_vehicle(b: PrimBuilder, rng, kind, along, lateral, axis, speed_along):
    """kind: 'car', 'truck', 'bus'. `along`/`lateral`: centre coordinates along/across the street."""
    vel = (speed_along, 0.0, 0.0) if axis == 0 else (0.0, speed_along, 0.0)
    sgn = 1.0 if speed_along >= 0 else -1.0  # which end is the front (parked cars: random)
    if kind == "car":
        L, W, H = rng.uniform(3.9, 4.9), rng.uniform(1.7, 1.9), rng.uniform(1.38, 1.6)
    elif kind == "truck":
        L, W, H = rng.uniform(6.5, 9.0), 2.45, rng.uniform(3.0, 3.8)
    else:
        L, W, H = rng.uniform(10.5, 12.5), 2.55, rng.uniform(3.0, 3.3)
    fx, fy = (along, lateral) if axis == 0 else (lateral, along)
    hx, hy = (L / 2, W / 2) if axis == 0 else (W / 2, L / 2)
    g = b.group(fx, fy, hx, hy, vel[0], vel[1])
    paint = P.pick(rng, P.CAR, 0.04)
    aux = (axis, L, sgn, 0.0)
    if kind == "car":
        body_h = H * 0.62
        c, s = _box(along, lateral, 0.14, L / 2, W / 2, (body_h - 0.14) / 2, axis)
        b.add("box", g, c, s, C.CAR, MAT_BODY, paint, aux=aux, vel=vel)
        cab_len = L * rng.uniform(0.5, 0.6)
        c, s = _box(along - sgn * L * 0.05, lateral, body_h, cab_len / 2, W / 2 - 0.08, (H - body_h) / 2, axis)
        b.add("box", g, c, s, C.CAR, MAT_CABIN, paint, aux=(axis, cab_len, sgn, 0.0), vel=vel)
    elif kind == "truck":
        cab = 2.2
        c, s = _box(along + sgn * (L - cab) / 2, lateral, 0.3, cab / 2, W / 2, (H * 0.8 - 0.3) / 2, axis)
        b.add("box", g, c, s, C.TRUCK, MAT_CABIN, paint, aux=(axis, cab, sgn, 1.0), vel=vel)
        cargo = L - cab - 0.2
        c, s = _box(along - sgn * (cab + 0.2) / 2, lateral, 0.3, cargo / 2, W / 2, (H - 0.3) / 2, axis)
        b.add("box", g, c, s, C.TRUCK, MAT_CARGO, P.pick(rng, P.FACADE, 0.05), paint, aux=(axis, cargo, sgn, 0.0),
              vel=vel)
    else:
        c, s = _box(along, lateral, 0.3, L / 2, W / 2, (H - 0.3) / 2, axis)
        b.add("box", g, c, s, C.BUS, MAT_BUS, paint, aux=aux, vel=vel)


def add_two_wheeler(b: PrimBuilder, rng, along, lateral, axis, speed_along, motor: bool):
    vel = (speed_along, 0.0, 0.0) if axis == 0 else (0.0, speed_along, 0.0)
    L = 1.75 if not motor else 2.1
    fx, fy = (along, lateral) if axis == 0 else (lateral, along)
    g = b.group(fx, fy, L / 2 if axis == 0 else 0.4, 0.4 if axis == 0 else L / 2, vel[0], vel[1])
    frame = P.pick(rng, P.CAR, 0.05)
    if motor:
        c, s = _box(along, lateral, 0.15, L / 2, 0.3, 0.4, axis)
        b.add("box", g, c, s, C.MOTORCYCLE, MAT_BODY, frame, aux=(axis, L, 1.0 if speed_along >= 0 else -1.0, 2.0),
              vel=vel)
        seat = 0.95
    else:
        c, s = _box(along, lateral, 0.0, L / 2, 0.0, 0.5, axis)
        b.add("cut", g, c, s, C.BICYCLE, MAT_BIKE, frame, aux=(1 - axis, CUT_BICYCLE, L, 0.0), vel=vel)
        seat = 0.9
    r = 0.21
    b.add("cyl", g, (fx, fy, seat + 0.35), (r, r, 0.35), C.RIDER, MAT_CLOTHES, P.pick(rng, P.CLOTHES),
          P.pick(rng, P.CLOTHES), aux=(seat + 0.2, 0, 0, 0), vel=vel)
    b.add("ell", g, (fx, fy, seat + 0.83), (0.13, 0.13, 0.14), C.RIDER, MAT_SKIN,
          P.pick(rng, [(0.15, 0.15, 0.15), (0.8, 0.8, 0.8), (0.7, 0.1, 0.1)], 0.05), vel=vel)


def make_street_traffic(layout: CityLayout, axis: int, index: int, lo: float, hi: float, seed: int,
                        b: PrimBuilder, density: dict):
    """Traffic on the street line running along `axis` (0: the line y = index*period_y, 1: x = index*period_x)
    between along-coordinates lo and hi."""
    rng = np.random.default_rng([seed, 21, axis, index + 100000])
    centre = index * (layout.period_y if axis == 0 else layout.period_x)
    # right of travel direction +axis: for a street along x that is -y, along y it is +x
    right = -1.0 if axis == 0 else 1.0
    for direction in (1.0, -1.0):
        for lane in range(layout.lanes):
            lateral = centre + right * direction * (lane + 0.5) * layout.lane_width
            speed = rng.uniform(5.0, 12.0) * direction
            pos = lo + rng.uniform(0, 30)
            while pos < hi:
                kind = rng.choice(3, p=[0.76, 0.11, 0.13])
                kind = ("car", "truck", "bus")[kind]
                add_vehicle(b, rng, kind, pos, lateral, axis, speed)
                pos += 14 + rng.exponential(density["traffic_gap"])
        # two-wheelers at the right edge of the driving lanes
        lateral = centre + right * direction * (layout.lanes * layout.lane_width - 0.7)
        pos = lo + rng.uniform(0, 60)
        while pos < hi:
            motor = rng.random() < 0.4
            speed = rng.uniform(6, 11) if motor else rng.uniform(3.5, 6)
            add_two_wheeler(b, rng, pos, lateral, axis, speed * direction, motor)
            pos += 10 + rng.exponential(density["bike_gap"])
    if layout.parking <= 0:
        return
    period = layout.period_x if axis == 0 else layout.period_y
    for side in (1.0, -1.0):
        lateral = centre + side * (layout.road_half - layout.parking / 2)
        k0 = int(np.floor(lo / period))
        for k in range(k0, int(np.ceil(hi / period)) + 1):
            pos = k * period + layout.street_half + 3.0
            end = (k + 1) * period - layout.street_half - 3.0
            while pos < end - 4:
                L = rng.uniform(3.9, 4.9)
                if rng.random() < density["parked"]:
                    kind = "truck" if rng.random() < 0.05 else "car"
                    if kind == "car" or pos + 9 < end:
                        add_vehicle(b, rng, kind, pos + (L / 2 if kind == "car" else 4.5), lateral, axis,
                                    0.0 * rng.choice([-1.0, 1.0]))
                        pos += (L if kind == "car" else 9) + rng.uniform(0.6, 2.5)
                        continue
                pos += L + rng.uniform(0.6, 2.5)
