"""render_clips: the renderer's public entry point."""
from dataclasses import dataclass
from typing import Optional, Sequence, Union

import numpy as np
import torch

from . import randomize as R
from .render import render_views
from .route import WORLD_SECONDS
from .scene import build_scene

# Seeds 1..100 are reserved for evaluation (the bundled clips use some of them); training uses
# seeds in TRAIN_SEED_RANGE, so no evaluation world is ever seen in training.
HELD_OUT_SEEDS = range(1, 101)
TRAIN_SEED_RANGE = range(1_000_000, 2 ** 31 - 1)

PIXELS_PER_PASS = {"cpu": 1 << 17, "cuda": 1 << 22}  # views rendered together: bounds peak memory


@dataclass
class StreetClip:
    rgb: torch.Tensor         # [B, T, H, W, 3] uint8
    labels: torch.Tensor      # [B, T, H, W] uint8, Cityscapes train ids, 255 unlabelled
    depth: torch.Tensor       # [B, T, H, W] float32 metres (z along the optical axis), sky = max_depth
    poses: torch.Tensor       # [B, T, 4, 4] float32 camera-to-world (OpenCV camera axes, world z up)
    intrinsics: torch.Tensor  # [B, T, 3, 3] float32 (randomised with lens distortion: the undistorted render's)


def _check(seeds, num_frames, height, width, fps, max_depth, start_frame):
    if not isinstance(seeds, (list, tuple)) or not seeds:
        raise ValueError(f"seeds must be a non-empty list of ints, got {seeds!r}")
    for s in seeds:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool) or s < 0 or s >= 2 ** 31:
            raise ValueError(f"seed {s!r} must be an int in [0, 2**31)")
    if not isinstance(num_frames, (int, np.integer)) or num_frames < 1:
        raise ValueError(f"num_frames must be a positive int, got {num_frames!r}")
    for name, v in (("height", height), ("width", width)):
        if not isinstance(v, (int, np.integer)) or not 8 <= v <= 4096:
            raise ValueError(f"{name} must be an int in [8, 4096], got {v!r}")
    if not fps > 0:
        raise ValueError(f"fps must be positive, got {fps!r}")
    if not max_depth > 0:
        raise ValueError(f"max_depth must be positive, got {max_depth!r}")
    if not isinstance(start_frame, (int, np.integer)) or start_frame < 0:
        raise ValueError(f"start_frame must be a non-negative int, got {start_frame!r}")
    last = (start_frame + num_frames - 1) / fps
    if last > WORLD_SECONDS:
        raise ValueError(f"frames up to t = {last:.2f} s requested; every seed's drive lasts {WORLD_SECONDS:.0f} s "
                         f"(start_frame + num_frames - 1 <= {int(WORLD_SECONDS * fps)} at {fps} fps)")


def render_clips(seeds: Sequence[int], num_frames: int, height: int = 256, width: int = 512, fps: float = 30.0,
                 device: Union[str, torch.device] = "cpu", max_depth: float = 100.0, start_frame: int = 0,
                 supersample: int = 1, randomize: Optional[R.RandomizeSpec] = None) -> StreetClip:
    """Render frames start_frame .. start_frame + num_frames - 1 (time = frame / fps) of each seed's drive.

    supersample = s > 1 anti-aliases the RGB with s x s rays per pixel (about 1 + s*s times the
    work); labels and depth are always those of the pixel centres. randomize: render each seed's
    randomised world and camera instead (mila.street.randomize; for training data only)."""
    seeds = list(seeds)
    _check(seeds, num_frames, height, width, fps, max_depth, start_frame)
    frames = [start_frame + np.arange(num_frames) for _ in seeds]
    return _render(seeds, frames, height, width, fps, device, max_depth, supersample, randomize)


def render_frames(seed: int, frames: Sequence[int], height: int = 256, width: int = 512, fps: float = 30.0,
                  device: Union[str, torch.device] = "cpu", max_depth: float = 100.0,
                  randomize: Optional[R.RandomizeSpec] = None) -> StreetClip:
    """Render any frames (not necessarily consecutive) of one seed's drive as one clip [1, len(frames)]:
    the scene is built once, so frames spread in time cost what consecutive ones do."""
    frames = [int(f) for f in frames]
    if not frames:
        raise ValueError("render_frames needs at least one frame index")
    _check([seed], 1, height, width, fps, max_depth, min(frames))
    _check([seed], 1, height, width, fps, max_depth, max(frames))
    return _render([seed], [np.asarray(frames)], height, width, fps, device, max_depth, 1, randomize)


def _render(seeds: Sequence[int], frames: Sequence[np.ndarray], height: int, width: int, fps: float,
            device: Union[str, torch.device], max_depth: float, supersample: int,
            randomize: Optional[R.RandomizeSpec] = None, draws=None) -> StreetClip:
    """Render frames[i] (frame indices, time = frame / fps) of seeds[i]; every seed has as many frames.
    draws (tests): the randomize.Draw of each seed instead of randomize.draw(seed)."""
    if not isinstance(supersample, (int, np.integer)) or not 1 <= supersample <= 4:
        raise ValueError(f"supersample must be an int in [1, 4], got {supersample!r}")
    if randomize is not None and not isinstance(randomize, R.RandomizeSpec):
        raise ValueError(f"randomize must be a RandomizeSpec or None, got {randomize!r}")
    device = torch.device(device)
    num_frames = len(frames[0])
    poses, Ks, view_seeds, view_times, view_frames, view_draws = [], [], [], [], [], []
    for i, (s, f) in enumerate(zip(seeds, frames)):
        times = f / fps
        scene = build_scene(int(s), randomize is not None and randomize.layouts)
        d = None
        if randomize is not None:
            d = draws[i] if draws is not None else R.draw(int(s))
            view_draws += [d] * num_frames
        pose, K = R.camera(scene, d if randomize is not None and randomize.camera else None, times, height, width)
        poses.append(pose)
        Ks.append(np.broadcast_to(K, (num_frames, 3, 3)))
        view_seeds += [int(s)] * num_frames
        view_times.append(times)
        view_frames.append(f)
    f32 = lambda a: torch.as_tensor(np.concatenate(a), dtype=torch.float32, device=device)
    poses_t, K_t, times_t = f32(poses), f32(Ks), f32(view_times)
    frames_t = torch.as_tensor(np.concatenate(view_frames), dtype=torch.long, device=device)
    V = len(view_seeds)
    per_pass = max(1, PIXELS_PER_PASS.get(device.type, 1 << 20) // (height * width * supersample ** 2))
    rgb = torch.empty((V, height, width, 3), dtype=torch.uint8, device=device)
    labels = torch.empty((V, height, width), dtype=torch.uint8, device=device)
    depth = torch.empty((V, height, width), dtype=torch.float32, device=device)
    with torch.no_grad():
        for v0 in range(0, V, per_pass):
            sl = slice(v0, v0 + per_pass)
            if randomize is None:
                rgb[sl], labels[sl], depth[sl] = render_views(view_seeds[sl], poses_t[sl], K_t[sl], times_t[sl],
                                                              frames_t[sl], height, width, max_depth, supersample)
            else:
                from .render_random import render_views_randomized

                rgb[sl], labels[sl], depth[sl] = render_views_randomized(
                    view_seeds[sl], poses_t[sl], K_t[sl], times_t[sl], frames_t[sl], height, width, max_depth,
                    view_draws[sl], randomize, supersample)
    B, T = len(seeds), num_frames
    return StreetClip(rgb.reshape(B, T, height, width, 3), labels.reshape(B, T, height, width),
                      depth.reshape(B, T, height, width), poses_t.reshape(B, T, 4, 4), K_t.reshape(B, T, 3, 3))
