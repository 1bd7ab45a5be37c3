"""Domain randomisation of training worlds: a random camera, look and layout per seed, so a model
trained on the renders meets more than one kind of camera in one kind of street.

Opt-in (`render_frames(..., randomize=RandomizeSpec())`); evaluation renders never use it, so the
plain world of every seed renders exactly as before. Everything is a deterministic function of the
seed (a random stream of its own), drawn in full whatever the spec enables, so switching one factor
group off leaves the others' values unchanged. Groups:
- camera: height 1-12 m (hand-held to rooftop), pitch up to 45 degrees down, roll, horizontal field
  of view 40-100 degrees, barrel lens distortion, more shake, on the road or on the sidewalk, and
  half of the cameras turned 15-90 degrees to a side (facades, parked cars and lawns face-on, as
  people photograph them, not only along the street);
- photometric: exposure, white balance, gamma, contrast, vignetting, sensor noise, motion and
  defocus blur, JPEG compression (RGB only: labels and depth are untouched);
- appearance: random procedural or photographic textures in random colours and scales per class,
  random sky colours; on road, sidewalk, vegetation and terrain most of those colours are the
  class's real ones (grey asphalt, pale paving, green leaves, green or dry grass), so colour stays
  the cue it is in real footage while the textures still vary;
- layouts: open blocks (plazas with crowds, lawns with paths, parking lots with rows of parked
  cars), more pedestrians and parked cars (scene.build_scene(seed, layouts=True)).
Geometric factors (camera, distortion) move labels and depth with the RGB: they change the rays.
"""
import colorsys
import dataclasses
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .classes import ROAD, SIDEWALK, TERRAIN, VEGETATION
from .route import camera_poses, intrinsics
from .scene import StreetScene

NUM_CLASSES = 19
SIDEWALK_CAMERA_FROM_KERB = 1.4  # m onto the sidewalk: clear of poles, signs and tree trunks (<= 1.06 m)
TEXTURE_KINDS = ("noise", "stripes", "checker", "cells", "brick", "grass", "gravel")
RANGES = {  # documented ranges; tests check draws stay inside them
    "height": (1.0, 12.0), "pitch_down_deg": (-5.0, 45.0), "roll_deg": (-15.0, 15.0), "hfov_deg": (40.0, 100.0),
    "distortion": (0.0, 0.3), "exposure": (0.4, 2.5), "gamma": (np.exp(-0.4), np.exp(0.4)), "contrast": (0.6, 1.5),
    "noise": (0.0, 14 / 255), "motion": (0.0, 0.04), "defocus": (0.0, 0.012), "jpeg_quality": (8, 60),
    "yaw_deg": (-90.0, 90.0),
}
SIDEWAYS_DEG = (15.0, 90.0)  # a turned camera's angle from the heading
# Classes whose colour a real camera sees within a narrow family: the hue, saturation and value
# ranges of their HSV draws. Arbitrary colours stay random colour's job in the other views; these
# keep lawns and leaves green in most randomised views, as in the world (v1-v11 drew every class's
# colour from all hues, and learnt to ignore colour: a grey input changed their real-photo results
# by 0.5 points, and lawns came out as road).
NATURAL_HSV = {
    ROAD: ((0.0, 1.0), (0.0, 0.12), (0.12, 0.55)),     # road: asphalt, any tint, barely saturated
    SIDEWALK: ((0.04, 0.14), (0.0, 0.25), (0.35, 0.8)),    # sidewalk: concrete and pavers
    VEGETATION: ((0.16, 0.40), (0.3, 0.85), (0.1, 0.5)),     # vegetation: leaves
    TERRAIN: ((0.17, 0.33), (0.35, 0.8), (0.25, 0.65)),   # terrain: grass ...
}
DRY_GROUND_HSV = ((0.05, 0.14), (0.2, 0.6), (0.25, 0.65))  # ... or, in DRY_GROUND_SHARE of draws, soil
DRY_GROUND_SHARE = 0.3
NATURAL_SHARE = 0.75  # of the views, per natural class: its retexture colours come from NATURAL_HSV


@dataclass(frozen=True)
class RandomizeSpec:
    """Which factor groups a randomised render uses."""
    camera: bool = True
    photometric: bool = True
    appearance: bool = True
    layouts: bool = True

    @staticmethod
    def from_json(d) -> "RandomizeSpec":
        unknown = set(d) - {f.name for f in dataclasses.fields(RandomizeSpec)}
        if unknown:
            raise ValueError(f"randomize: unknown factor groups {sorted(unknown)}")
        for k, v in d.items():
            if not isinstance(v, bool):
                raise ValueError(f"randomize.{k} must be true or false, got {v!r}")
        return RandomizeSpec(**d)


@dataclass
class Draw:
    """One seed's random factors (see RANGES)."""
    height: float
    pitch: float            # rad, negative looks down
    roll: float             # rad
    hfov: float             # rad
    distortion: float       # k1 of x_undistorted = x_d (1 + k1 r_d^2), r_d in units of the focal length
    on_sidewalk: bool
    shake: float            # factor on the world's camera shake
    exposure: float
    white_balance: np.ndarray  # [3]
    gamma: float            # exponent on the sRGB values
    contrast: float         # around mid grey
    noise: float            # extra sensor noise sigma (0..1 units)
    vignette: float
    motion: float           # motion blur length, fraction of the image width
    motion_angle: float     # rad
    defocus: float          # defocus blur radius, fraction of the image width
    jpeg_quality: int       # 0: no compression
    sky: bool               # random sky colours
    zenith: np.ndarray      # [3] sRGB
    horizon: np.ndarray     # [3] sRGB
    tex_on: np.ndarray      # [19] bool: class retextured
    tex_kind: np.ndarray    # [19] index into TEXTURE_KINDS
    tex_scale: np.ndarray   # [19] m per texture period
    tex_col1: np.ndarray    # [19, 3] sRGB
    tex_col2: np.ndarray    # [19, 3] sRGB
    tex_mix: np.ndarray     # [19] blend weight over the world's own albedo
    yaw: float = 0.0        # rad left of the heading (negative: right)


def _colour(rng):
    h, s, v = rng.random(), rng.uniform(0.0, 0.8), rng.uniform(0.08, 0.92)
    return np.array(colorsys.hsv_to_rgb(h, s, v))


def _natural_colours(rng, cls: int):
    """col1, col2 of a natural class (NATURAL_HSV): a colour of its family and a darker shade of it."""
    dry = rng.random() < DRY_GROUND_SHARE  # drawn for every class: one stream length whatever the class
    ranges = DRY_GROUND_HSV if dry and cls == TERRAIN else NATURAL_HSV[cls]
    h, s, v = (rng.uniform(lo, hi) for lo, hi in ranges)
    col1 = np.array(colorsys.hsv_to_rgb(h, s, v))
    return col1, col1 * rng.uniform(0.35, 0.85)


def draw(seed: int) -> Draw:
    rng = np.random.default_rng([seed, 0xD0])
    lo, hi = RANGES["height"]
    height = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    # low cameras look roughly ahead, high ones (poles, rooftops) down at the street
    pitch_down = rng.uniform(-5.0, 25.0) if height < 3.0 else rng.uniform(5.0, 45.0)
    roll = 0.0 if rng.random() < 0.5 else rng.uniform(*RANGES["roll_deg"])
    hfov = rng.uniform(*RANGES["hfov_deg"])
    distortion = 0.0 if rng.random() < 0.5 else rng.uniform(0.02, RANGES["distortion"][1])
    on_sidewalk = bool(rng.random() < 0.4)
    shake = rng.uniform(0.5, 3.0)
    exposure = float(np.exp(rng.uniform(*np.log(RANGES["exposure"]))))
    temp, tint = rng.uniform(-1, 1), rng.uniform(-0.1, 0.1)
    white_balance = np.exp(np.array([0.25 * temp, tint, -0.25 * temp]))
    gamma = float(np.exp(rng.uniform(-0.4, 0.4)))
    contrast = rng.uniform(*RANGES["contrast"])
    noise = 0.0 if rng.random() < 0.3 else rng.uniform(2 / 255, RANGES["noise"][1])
    vignette = rng.uniform(0.0, 0.6)
    motion = 0.0 if rng.random() < 0.5 else rng.uniform(0.004, RANGES["motion"][1])
    motion_angle = rng.uniform(0, np.pi)
    defocus = 0.0 if rng.random() < 0.6 else rng.uniform(0.002, RANGES["defocus"][1])
    jpeg_quality = 0 if rng.random() < 0.4 else int(rng.integers(RANGES["jpeg_quality"][0], RANGES["jpeg_quality"][1] + 1))
    sky = bool(rng.random() < 0.5)
    zenith, horizon = _colour(rng), _colour(rng)
    tex_on = rng.random(NUM_CLASSES) < 0.55
    tex_kind = rng.integers(0, len(TEXTURE_KINDS), NUM_CLASSES)
    tex_scale = np.exp(rng.uniform(np.log(0.05), np.log(4.0), NUM_CLASSES))
    col1 = np.stack([_colour(rng) for _ in range(NUM_CLASSES)])
    col2 = np.where(rng.random((NUM_CLASSES, 1)) < 0.5, col1 * rng.uniform(0.3, 0.9, (NUM_CLASSES, 1)),
                    np.stack([_colour(rng) for _ in range(NUM_CLASSES)]))
    tex_mix = rng.uniform(0.4, 1.0, NUM_CLASSES)
    # drawn last, so the factors above keep the values they had before the turned camera existed
    yaw = 0.0 if rng.random() < 0.5 else rng.choice([-1.0, 1.0]) * rng.uniform(*SIDEWAYS_DEG)
    for cls in NATURAL_HSV:  # after yaw, for the same reason; drawn whether used or not
        natural = rng.random() < NATURAL_SHARE
        c1, c2 = _natural_colours(rng, cls)
        if natural:
            col1[cls], col2[cls] = c1, c2
    return Draw(height, float(-np.radians(pitch_down)), float(np.radians(roll)), float(np.radians(hfov)),
                float(distortion), on_sidewalk, float(shake), exposure, white_balance, gamma, float(contrast),
                float(noise), float(vignette), float(motion), float(motion_angle), float(defocus), jpeg_quality,
                sky, zenith, horizon, tex_on, tex_kind, tex_scale, col1, col2, tex_mix, float(np.radians(yaw)))


def source_focal_scale(distortion: float, height: int, width: int, focal: float) -> float:
    """The undistorted (pinhole) render behind a distorted frame uses focal * this scale, so that
    its field of view covers the distorted frame's corners."""
    r2 = ((width / 2) ** 2 + (height / 2) ** 2) / focal ** 2
    return 1.0 / (1.0 + distortion * r2)


def camera(scene: StreetScene, d: Optional[Draw], times: np.ndarray, height: int, width: int):
    """Camera-to-world poses [T, 4, 4] and the pinhole K [3, 3] of the (undistorted) render of a
    randomised camera; d = None: the world's own camera."""
    if d is None:
        return camera_poses(scene.route, scene.rig, times), intrinsics(scene.rig, height, width)
    rig = dataclasses.replace(scene.rig, height=d.height, pitch=d.pitch, hfov=d.hfov,
                              shake_amp=scene.rig.shake_amp * d.shake, yaw=d.yaw)
    poses = camera_poses(scene.route, rig, times)
    if d.on_sidewalk:  # along the route, SIDEWALK_CAMERA_FROM_KERB beyond the kerb on its right
        _, psi = scene.route.evaluate(scene.route.distance(np.asarray(times, np.float64)))
        off = scene.layout.road_half - scene.route.lane_offset + SIDEWALK_CAMERA_FROM_KERB
        poses[:, 0, 3] += off * np.sin(psi)
        poses[:, 1, 3] -= off * np.cos(psi)
    if d.roll:  # rotate the image plane about the optical axis
        c, s = np.cos(d.roll), np.sin(d.roll)
        x, y = poses[:, :3, 0].copy(), poses[:, :3, 1].copy()
        poses[:, :3, 0] = c * x + s * y
        poses[:, :3, 1] = -s * x + c * y
    K = intrinsics(rig, height, width)
    scale = source_focal_scale(d.distortion, height, width, K[0, 0])
    K[0, 0] *= scale
    K[1, 1] *= scale
    return poses, K
