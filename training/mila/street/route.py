"""The ego car's path through the street grid and the camera poses along it.

The path is straight runs along lane lines joined by quarter-circle arcs at intersections; the
arc length travelled is an analytic function of time (a base speed plus two sinusoids), so the
pose at any time is computed directly, without integrating from the clip start."""
from dataclasses import dataclass
from typing import List

import numpy as np

from .city import CityLayout

WORLD_SECONDS = 60.0  # every seed defines a drive of this length; frames beyond it are refused


def _dir(psi: float) -> np.ndarray:
    return np.array([np.cos(psi), np.sin(psi)])


def _right(psi: float) -> np.ndarray:
    return np.array([np.sin(psi), -np.cos(psi)])


@dataclass
class Route:
    s0: np.ndarray        # [E] arc length where each element starts
    start: np.ndarray     # [E, 2]
    psi0: np.ndarray      # [E] heading at the start (rad, 0 = +x)
    curvature: np.ndarray # [E] 0 straight, +-1/R arcs (positive turns left)
    lane_offset: float    # ego distance to the right of the street centre line
    v0: float
    amps: np.ndarray      # [2] speed sinusoid amplitudes
    omegas: np.ndarray
    phases: np.ndarray

    def distance(self, t: np.ndarray) -> np.ndarray:
        """Arc length travelled at time t (s)."""
        t = np.asarray(t, dtype=np.float64)[..., None]
        s = self.v0 * t[..., 0]
        s = s + (self.amps / self.omegas * (np.cos(self.phases) - np.cos(self.omegas * t + self.phases))).sum(-1)
        return s

    def evaluate(self, s: np.ndarray):
        """Position [.., 2] and heading [..] at arc lengths s."""
        s = np.asarray(s, dtype=np.float64)
        e = np.clip(np.searchsorted(self.s0, s, side="right") - 1, 0, len(self.s0) - 1)
        ds = s - self.s0[e]
        psi0, k, p0 = self.psi0[e], self.curvature[e], self.start[e]
        straight = k == 0
        safe_k = np.where(straight, 1.0, k)
        psi = psi0 + k * ds
        centre = p0 - (1 / safe_k)[..., None] * np.stack([np.sin(psi0), -np.cos(psi0)], -1)
        on_arc = centre + (1 / safe_k)[..., None] * np.stack([np.sin(psi), -np.cos(psi)], -1)
        on_line = p0 + ds[..., None] * np.stack([np.cos(psi0), np.sin(psi0)], -1)
        pos = np.where(straight[..., None], on_line, on_arc)
        return pos, psi


def make_route(layout: CityLayout, rng: np.random.Generator) -> Route:
    lane = int(rng.integers(0, layout.lanes))
    lane_offset = (lane + 0.5) * layout.lane_width
    v0 = float(rng.uniform(5.0, 11.0))
    amps = np.array([rng.uniform(0, 0.4), rng.uniform(0, 0.15)]) * v0
    omegas = 2 * np.pi / np.array([rng.uniform(7, 18), rng.uniform(2.5, 5)])
    phases = rng.uniform(0, 2 * np.pi, 2)
    top_speed = v0 + amps.sum()
    needed = top_speed * WORLD_SECONDS + 50.0

    psi = float(rng.integers(0, 4)) * np.pi / 2
    node = np.zeros(2)  # the grid intersection we last left (or started beyond)
    period = lambda p: layout.period_x if abs(np.cos(p)) > 0.5 else layout.period_y
    gap = layout.street_half
    start_along = rng.uniform(gap + 8, period(psi) - gap - 8)
    p = node + start_along * _dir(psi) + lane_offset * _right(psi)

    s0: List[float] = []
    starts: List[np.ndarray] = []
    psis: List[float] = []
    ks: List[float] = []
    total = 0.0
    k_next = 1
    while total < needed:
        centre = node + k_next * period(psi) * _dir(psi)
        choice = rng.choice(3, p=[0.5, 0.25, 0.25])  # straight, right, left
        if choice == 0:
            k_next += 1
            continue
        right_turn = choice == 1
        new_psi = psi - np.pi / 2 if right_turn else psi + np.pi / 2
        corner = centre + lane_offset * _right(psi) + lane_offset * _right(new_psi)
        inner = layout.road_half - lane_offset if right_turn else layout.road_half + lane_offset
        radius = float(np.clip(2.4 * inner, 4.0, 14.0))
        t1 = corner - radius * _dir(psi)
        run = float(np.dot(t1 - p, _dir(psi)))
        if run < 1.0:  # too close to turn: go straight through this intersection
            k_next += 1
            continue
        s0 += [total, total + run]
        starts += [p.copy(), t1]
        psis += [psi, psi]
        ks += [0.0, (-1.0 if right_turn else 1.0) / radius]
        total += run + radius * np.pi / 2
        p = corner + radius * _dir(new_psi)
        psi = new_psi
        node = centre
        k_next = 1
    s0.append(total)
    starts.append(p.copy())
    psis.append(psi)
    ks.append(0.0)
    return Route(np.array(s0), np.stack(starts), np.array(psis), np.array(ks), lane_offset,
                 v0, amps, omegas, phases)


@dataclass
class CameraRig:
    height: float
    hfov: float          # horizontal field of view (rad)
    pitch: float         # base pitch (rad, positive looks up)
    shake_amp: np.ndarray    # [3] pitch, roll, yaw shake amplitudes (rad)
    shake_freq: np.ndarray   # [3, 2]
    shake_phase: np.ndarray  # [3, 2]
    yaw: float = 0.0         # view direction left of the heading (rad): randomised cameras look sideways

    @staticmethod
    def random(rng: np.random.Generator) -> "CameraRig":
        return CameraRig(
            height=float(rng.uniform(1.2, 2.2)), hfov=float(np.radians(rng.uniform(55, 85))),
            pitch=float(np.radians(rng.uniform(-6, 1))),
            shake_amp=np.radians([rng.uniform(0.1, 0.6), rng.uniform(0.1, 0.6), rng.uniform(0.05, 0.3)]),
            shake_freq=rng.uniform(0.3, 3.0, (3, 2)) * 2 * np.pi, shake_phase=rng.uniform(0, 2 * np.pi, (3, 2)))


def camera_poses(route: Route, rig: CameraRig, times: np.ndarray) -> np.ndarray:
    """Camera-to-world [T, 4, 4] (OpenCV camera axes: x right, y down, z forward; world z up)."""
    times = np.asarray(times, dtype=np.float64)
    pos2, psi = route.evaluate(route.distance(times))
    shake = (np.sin(rig.shake_freq[None] * times[:, None, None] + rig.shake_phase[None]).sum(-1) * 0.5
             * rig.shake_amp[None])
    pitch = rig.pitch + shake[:, 0]
    roll = shake[:, 1]
    yaw = psi + shake[:, 2]
    if rig.yaw:  # only randomised rigs: plain renders keep their exact float results
        yaw = yaw + rig.yaw
    fwd = np.stack([np.cos(yaw), np.sin(yaw), np.zeros_like(yaw)], -1)
    right = np.stack([np.sin(yaw), -np.cos(yaw), np.zeros_like(yaw)], -1)
    up = np.broadcast_to(np.array([0.0, 0.0, 1.0]), fwd.shape)
    fwd_p = np.cos(pitch)[:, None] * fwd + np.sin(pitch)[:, None] * up
    up_p = -np.sin(pitch)[:, None] * fwd + np.cos(pitch)[:, None] * up
    right_r = np.cos(roll)[:, None] * right + np.sin(roll)[:, None] * up_p
    up_r = -np.sin(roll)[:, None] * right + np.cos(roll)[:, None] * up_p
    pose = np.zeros((len(times), 4, 4))
    pose[:, :3, 0] = right_r
    pose[:, :3, 1] = -up_r
    pose[:, :3, 2] = fwd_p
    pose[:, :2, 3] = pos2
    pose[:, 2, 3] = rig.height
    pose[:, 3, 3] = 1.0
    return pose


def intrinsics(rig: CameraRig, height: int, width: int) -> np.ndarray:
    """Pinhole K; pixel (u, v) covers [u, u+1) x [v, v+1), its centre is (u + 0.5, v + 0.5)."""
    f = (width / 2) / np.tan(rig.hfov / 2)
    return np.array([[f, 0, width / 2], [0, f, height / 2], [0, 0, 1.0]])
