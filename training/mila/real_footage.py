"""Unlabelled real footage for training: photos and videos a Debian package ships, as moving clips.

The renders are the only labelled data; real footage has no labels here, so it trains through the slow
net's pseudo-labels (`mila.pseudo_labels`): the fast path and ILA learn to agree with the keyframe net
on real textures and light. The manifest (training/real_footage/unlabelled.json) names each file by its
path in the package and its sha256; none may be a photo of the real-footage *evaluation* clip
(training/real_footage/sources.json), which this module refuses.

A photo becomes a clip through a camera path: a 1:2 crop box that pans and zooms a little from frame to
frame (the motion a hand-held or dashcam clip has between a keyframe and the frames after it). A video
gives consecutive frames (a random stride), through one slowly moving box as well. Frames are
[T, H, W, 3] uint8 like every clip batch; labels are all unlabelled and depth all 0 until pseudo-labelled.
"""
from __future__ import annotations

import hashlib
import json
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Sequence, Tuple

import numpy as np
import torch
from PIL import Image

from .data import ClipBatch, ClipDataset

VIDEO_SUFFIXES = (".avi", ".mp4", ".webm", ".mkv", ".mov")
MAX_STORED_WIDTH = 768  # photos are kept at most this wide in memory: crops are 256 wide
MAX_VIDEO_FRAMES = 600


@dataclass(frozen=True)
class CameraPath:
    """How far a clip's crop box moves: over the whole clip it pans by up to `pan` of its width and
    height and zooms by a factor of up to 1 +- `zoom`; its first box covers `min_cover`..1 of the
    largest 1:2 box that fits the picture."""
    pan: float = 0.12
    zoom: float = 0.12
    min_cover: float = 0.45


@dataclass
class FootageItem:
    id: str
    frames: np.ndarray  # [N, H, W, 3] uint8; a photo has N = 1


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(path: str | Path) -> dict:
    path = Path(path)
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"real-footage manifest {path} does not exist") from None
    for key in ("package", "files", "evaluation"):
        if key not in manifest:
            raise ValueError(f"real-footage manifest {path}: missing key {key!r}")
    if not manifest["files"]:
        raise ValueError(f"real-footage manifest {path} lists no files")
    return manifest


def evaluation_hashes(manifest_path: Path, manifest: dict) -> set:
    """sha256 of every photo of the evaluation clip(s) the manifest names (relative to its folder)."""
    hashes = set()
    for rel in manifest["evaluation"]:
        sources = json.loads((manifest_path.parent / rel).read_text())
        hashes |= {p["sha256"] for p in sources["photos"]}
    return hashes


def ensure_package(root: Path, package: dict, log=lambda e: None) -> Path:
    """The folder the package is extracted in: `root`, downloaded with apt and unpacked when empty."""
    marker = root / ".extracted"
    if marker.is_file():
        return root
    root.mkdir(parents=True, exist_ok=True)
    name, version = package["name"], package["version"]
    log({"event": "real-footage-package", "package": name, "version": version, "root": str(root)})
    try:
        subprocess.run(["apt-get", "download", f"{name}={version}"], cwd=root, check=True,
                       capture_output=True, text=True)
        debs = sorted(root.glob(f"{name}_*.deb"))
        if not debs:
            raise FileNotFoundError(f"apt-get download left no {name}_*.deb")
        subprocess.run(["dpkg", "-x", str(debs[-1]), str(root)], check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        raise FileNotFoundError(f"could not download and unpack the Debian package {name}={version} into {root} "
                                f"({detail.strip()}); extract it there by hand (dpkg -x) and touch {marker}") from None
    debs[-1].unlink()
    marker.touch()
    return root


def read_video(path: Path, max_frames: int = MAX_VIDEO_FRAMES) -> np.ndarray:
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", str(path)], capture_output=True, text=True)
    if probe.returncode != 0 or not probe.stdout.strip():
        raise ValueError(f"{path}: ffprobe cannot read a video stream ({probe.stderr.strip()})")
    w, h = (int(v) for v in probe.stdout.strip().split(",")[:2])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-frames:v", str(max_frames), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8)
    if frames.size == 0 or frames.size % (h * w * 3):
        raise ValueError(f"{path}: ffmpeg decoded {frames.size} bytes, not whole {w}x{h} frames")
    return frames.reshape(-1, h, w, 3)


def read_photo(path: Path) -> np.ndarray:
    im = Image.open(path).convert("RGB")
    if im.width > MAX_STORED_WIDTH:
        im = im.resize((MAX_STORED_WIDTH, round(im.height * MAX_STORED_WIDTH / im.width)), Image.LANCZOS)
    return np.asarray(im)[None]


def load_items(manifest_path: str | Path, root: Path) -> List[FootageItem]:
    """Every manifest file, hash-checked, never one of the evaluation photos."""
    manifest_path = Path(manifest_path)
    manifest = load_manifest(manifest_path)
    held_out = evaluation_hashes(manifest_path, manifest)
    items = []
    for entry in manifest["files"]:
        path = root / entry["path"]
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist: is {root} the extracted package {manifest['package']['name']}?")
        digest = sha256_of(path)
        if digest != entry["sha256"]:
            raise ValueError(f"{path}: sha256 {digest[:16]}... is not the manifest's {entry['sha256'][:16]}...")
        if digest in held_out:
            raise ValueError(f"{entry['id']} ({entry['path']}) is a photo of the real-footage evaluation clip: "
                             "training on it would leak the evaluation")
        frames = read_video(path) if path.suffix.lower() in VIDEO_SUFFIXES else read_photo(path)
        items.append(FootageItem(entry["id"], frames))
    return items


def crop_boxes(rng: random.Random, src_w: int, src_h: int, aspect: float, count: int,
               path: CameraPath) -> List[Tuple[float, float, float, float]]:
    """`count` crop boxes (x0, y0, x1, y1) of width/height `aspect`, from a random first box to a last
    one panned and zoomed within `path`, linearly in between; every box lies inside the picture."""
    full_w = min(src_w, src_h * aspect)

    def box(cover: float, cx: float, cy: float) -> Tuple[float, float, float, float]:
        w = full_w * cover
        h = w / aspect
        x0 = min(max(cx - w / 2, 0.0), src_w - w)
        y0 = min(max(cy - h / 2, 0.0), src_h - h)
        return x0, y0, x0 + w, y0 + h

    c0 = rng.uniform(path.min_cover, 1.0)
    c1 = min(1.0, c0 * rng.uniform(1 - path.zoom, 1 + path.zoom))
    w0 = full_w * c0
    cx0, cy0 = rng.uniform(w0 / 2, src_w - w0 / 2), rng.uniform(w0 / aspect / 2, src_h - w0 / aspect / 2)
    cx1 = cx0 + rng.uniform(-path.pan, path.pan) * w0
    cy1 = cy0 + rng.uniform(-path.pan, path.pan) * w0 / aspect
    ts = [i / (count - 1) for i in range(count)] if count > 1 else [0.0]
    return [box(c0 + (c1 - c0) * t, cx0 + (cx1 - cx0) * t, cy0 + (cy1 - cy0) * t) for t in ts]


class RealFootageDataset(ClipDataset):
    """Unlabelled real clips of `height` x `width` (see the module docstring); no evaluation set: the
    real-footage evaluation clip is scored by the browser evaluator and `mila.evaluate` on its own."""

    dense_labels = False

    def __init__(self, items: Sequence[FootageItem], height: int, width: int,
                 camera: CameraPath = CameraPath(), max_stride: int = 2):
        if not items:
            raise ValueError("RealFootageDataset needs at least one photo or video")
        self.items = list(items)
        self.height, self.width = height, width
        self.camera = camera
        self.max_stride = max_stride

    def _clip(self, item: FootageItem, num_frames: int, rng: random.Random) -> torch.Tensor:
        n, src_h, src_w = item.frames.shape[:3]
        stride = rng.randint(1, self.max_stride) if n > 1 else 0
        span = (num_frames - 1) * stride
        if span >= n:
            stride, span = 1, num_frames - 1
            if span >= n:
                raise ValueError(f"video {item.id} has {n} frames; a clip needs {num_frames}")
        start = rng.randint(0, n - 1 - span)
        boxes = crop_boxes(rng, src_w, src_h, self.width / self.height, num_frames, self.camera)
        out = [np.asarray(Image.fromarray(item.frames[start + i * stride]).resize(
                   (self.width, self.height), Image.BILINEAR, box=boxes[i])) for i in range(num_frames)]
        return torch.from_numpy(np.stack(out))

    def sample(self, batch_size: int, num_frames: int, rng: random.Random) -> ClipBatch:
        rgb = torch.stack([self._clip(self.items[rng.randrange(len(self.items))], num_frames, rng)
                           for _ in range(batch_size)])
        b, t, h, w = rgb.shape[:4]
        return ClipBatch(rgb, torch.full((b, t, h, w), 255, dtype=torch.int64), torch.zeros((b, t, h, w)))

    def eval_batches(self, num_frames: int, batch_size: int) -> Iterator[ClipBatch]:
        raise ValueError("unlabelled real footage has no evaluation set: it only trains, through pseudo-labels")
