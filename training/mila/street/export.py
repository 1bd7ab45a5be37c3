"""Write rendered clips as bundled ground-truth clips (docs/ARCHITECTURE.md "Ground-truth clips"):
clip.webm (VP9, frame i at time i / fps), labels/%06d.png (8-bit gray train ids),
depth/%06d.png (RGB, v = R * 256 + G, metres = v / depthScale), manifest.json."""
import json
import os
import subprocess
from typing import Callable, Optional

import numpy as np
from PIL import Image

from .api import render_clips
from .classes import CLASS_NAMES

LABELS_PATTERN = "labels/%06d.png"
DEPTH_PATTERN = "depth/%06d.png"


def encode_depth(depth: np.ndarray, scale: float) -> np.ndarray:
    """[H, W] metres -> [H, W, 3] uint8 with v = R * 256 + G = round(depth * scale), 0 stays invalid."""
    v = np.clip(np.round(depth.astype(np.float64) * scale), 0, 65535).astype(np.uint32)
    out = np.zeros(depth.shape + (3,), np.uint8)
    out[..., 0] = v >> 8
    out[..., 1] = v & 255
    return out


def decode_depth(rgb: np.ndarray, scale: float) -> np.ndarray:
    return (rgb[..., 0].astype(np.float64) * 256 + rgb[..., 1]) / scale


def open_vp9_encoder(path: str, width: int, height: int, fps: float, crf: int) -> subprocess.Popen:
    """ffmpeg reading rgb24 frames on stdin and writing VP9 WebM, frame i at time i / fps."""
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
           "-r", f"{fps:g}", "-i", "-", "-c:v", "libvpx-vp9", "-crf", str(crf), "-b:v", "0", "-pix_fmt", "yuv420p",
           "-g", str(int(round(fps))), "-deadline", "good", "-cpu-used", "2", "-row-mt", "1",
           "-fps_mode", "passthrough", path]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE)


def count_video_frames(path: str) -> int:
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_frames", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def write_clip(out_dir: str, seed: int, num_frames: int, height: int, width: int, fps: float = 30.0,
               max_depth: float = 100.0, depth_scale: float = 100.0, crf: int = 18, chunk: int = 4,
               name: Optional[str] = None, progress: Callable[[int], None] = lambda i: None) -> dict:
    if depth_scale * max_depth > 65535:
        raise ValueError(f"depth_scale {depth_scale} x max_depth {max_depth} does not fit 16 bits (65535)")
    os.makedirs(os.path.join(out_dir, "labels"), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "depth"), exist_ok=True)
    video = os.path.join(out_dir, "clip.webm")
    enc = open_vp9_encoder(video, width, height, fps, crf)
    try:
        for f0 in range(0, num_frames, chunk):
            n = min(chunk, num_frames - f0)
            clip = render_clips([seed], n, height, width, fps, max_depth=max_depth, start_frame=f0)
            for i in range(n):
                enc.stdin.write(np.ascontiguousarray(clip.rgb[0, i].numpy()).tobytes())
                Image.fromarray(clip.labels[0, i].numpy(), "L").save(
                    os.path.join(out_dir, LABELS_PATTERN % (f0 + i)), optimize=True)
                Image.fromarray(encode_depth(clip.depth[0, i].numpy(), depth_scale), "RGB").save(
                    os.path.join(out_dir, DEPTH_PATTERN % (f0 + i)), optimize=True)
            progress(f0 + n)
    finally:
        enc.stdin.close()
        if enc.wait() != 0:
            raise RuntimeError(f"ffmpeg failed writing {video}")
    frames = count_video_frames(video)
    if frames != num_frames:
        raise RuntimeError(f"{video} has {frames} frames, expected {num_frames}")
    manifest = {"name": name or f"Rendered street, seed {seed}", "video": "clip.webm", "fps": fps,
                "frames": num_frames, "width": width, "height": height, "labels": LABELS_PATTERN,
                "depth": DEPTH_PATTERN, "depthScale": depth_scale, "maxDepth": max_depth,
                "classes": list(CLASS_NAMES), "seed": seed}
    with open(os.path.join(out_dir, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
    return manifest


def directory_bytes(path: str) -> int:
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)
