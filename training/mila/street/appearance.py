"""Per-clip look: sun, sky, ambient light, fog, ground materials, sensor response."""
from dataclasses import dataclass

import numpy as np


@dataclass
class Appearance:
    sun_dir: np.ndarray      # [3] unit vector towards the sun (world, z up)
    sun_col: np.ndarray      # [3] linear irradiance
    ambient: np.ndarray      # [3] linear sky light
    zenith: np.ndarray       # [3] sRGB sky colour overhead
    horizon: np.ndarray      # [3] sRGB sky colour at the horizon (also the fog colour)
    clouds: float            # cloud cover 0..1
    fog_distance: float      # metres at which 63% of the colour is fog
    asphalt: np.ndarray      # [3] sRGB
    paving: np.ndarray
    kerb: np.ndarray
    grass: np.ndarray
    marking: np.ndarray
    exposure: float
    white_balance: np.ndarray  # [3]
    noise_sigma: float       # sensor noise, in 0..1 units
    vignette: float
    salt: int                # texture hash salt

    @staticmethod
    def random(rng: np.random.Generator) -> "Appearance":
        az, el = rng.uniform(0, 2 * np.pi), np.radians(rng.uniform(12, 65))
        sun_dir = np.array([np.cos(az) * np.cos(el), np.sin(az) * np.cos(el), np.sin(el)])
        overcast = rng.random() < 0.25
        warm = np.clip(1.0 - 0.35 * np.cos(el) ** 4 * np.array([0.0, 0.4, 1.0]), 0.4, 1)
        sun_strength = rng.uniform(0.6, 1.2) if overcast else rng.uniform(2.2, 3.6)
        zenith = np.array([0.25, 0.45, 0.8]) + rng.uniform(-0.08, 0.08, 3)
        horizon = np.array([0.72, 0.8, 0.9]) + rng.uniform(-0.06, 0.06, 3)
        if overcast:
            zenith = zenith * 0.3 + 0.6
            horizon = horizon * 0.3 + 0.6
        return Appearance(
            sun_dir=sun_dir, sun_col=warm * sun_strength,
            ambient=(np.array([0.55, 0.65, 0.85]) * (0.55 if not overcast else 1.1)) * rng.uniform(0.7, 1.2),
            zenith=np.clip(zenith, 0, 1), horizon=np.clip(horizon, 0, 1),
            clouds=float(rng.uniform(0.6, 1.0) if overcast else rng.uniform(0.0, 0.6)),
            fog_distance=float(rng.uniform(120, 700) if not overcast else rng.uniform(90, 350)),
            asphalt=np.array([0.33, 0.33, 0.34]) * rng.uniform(0.7, 1.25) + rng.uniform(-0.02, 0.02, 3),
            paving=np.clip(np.array([0.62, 0.6, 0.58]) * rng.uniform(0.8, 1.15)
                           + rng.choice([0, 1]) * np.array([0.08, -0.06, -0.08]) + rng.uniform(-0.04, 0.04, 3), 0, 1),
            kerb=np.array([0.72, 0.72, 0.7]) * rng.uniform(0.85, 1.1),
            grass=np.array([0.3, 0.45, 0.17]) + rng.uniform(-0.06, 0.06, 3) + np.array([0.1, 0.05, 0]) * rng.random(),
            marking=np.array([0.92, 0.92, 0.88]) * rng.uniform(0.8, 1.0),
            exposure=float(rng.uniform(0.75, 1.1)), white_balance=1 + rng.uniform(-0.06, 0.06, 3),
            noise_sigma=float(rng.uniform(0.5, 3.0) / 255), vignette=float(rng.uniform(0.0, 0.35)),
            salt=int(rng.integers(0, 2 ** 31)))
