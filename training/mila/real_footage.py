"""Real footage for training: photos and videos that Debian packages ship, as moving clips.

The packages ship them without labels. They train through the slow net's pseudo-labels
(`mila.pseudo_labels`): the fast path and ILA learn to agree with the keyframe net on real textures and
light. Photos may also be labelled coarsely by hand (a polygon file per photo in a labels folder, in
the photo's own pixel coordinates, the format of `mila.polygons`): those labels teach the slow net
itself, and replace the pseudo-labels of that photo's clips. The manifest
(training/real_footage/unlabelled.json) names each file by its path in the package and its sha256; none
may be a photo of the real-footage *evaluation* clip (training/real_footage/sources.json), which this
module refuses.

A photo becomes a clip through a camera path: a 1:2 crop box that pans and zooms a little from frame to
frame (the motion a hand-held or dashcam clip has between a keyframe and the frames after it). A video
gives consecutive frames (a random stride), through one slowly moving box as well. Frames are
[T, H, W, 3] uint8 like every clip batch; labels are the hand labels cropped along (255 for footage
without them), depth all 0 (none) until pseudo-labelled.
"""
from __future__ import annotations

import hashlib
import json
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from PIL import Image

from .data import ClipBatch, ClipDataset
from .polygons import DEFAULT_BAND, load_polygons, rasterise
from .street.classes import IGNORE_INDEX

VIDEO_SUFFIXES = (".avi", ".mp4", ".webm", ".mkv", ".mov")
MAX_STORED_WIDTH = 768  # photos are kept at most this wide in memory: crops are 256 wide
MAX_VIDEO_FRAMES = 600
LABEL_BAND_WIDTH = 512  # hand labels ignore DEFAULT_BAND pixels per side of a boundary at this width


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
    labels: Optional[np.ndarray] = None  # [H, W] uint8 train IDs of a hand-labelled photo, 255 = unlabelled


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(path: str | Path) -> dict:
    """The manifest, its packages as a list under "packages" (a one-package manifest may name it under
    "package") and every file naming the package it comes from ("package"; optional with one package).
    `"_base_": "<manifest>"` extends another manifest, as recipes do: its packages and files first."""
    path = Path(path)
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"real-footage manifest {path} does not exist") from None
    base = manifest.pop("_base_", None)
    if base is not None:  # another manifest (relative to this one) whose packages and files come first
        inherited = load_manifest(path.parent / base)
        names = {p["name"] for p in inherited["packages"]}
        manifest["packages"] = inherited["packages"] + [p for p in manifest.get("packages", []) if p.get("name") not in names]
        manifest["files"] = inherited["files"] + manifest.get("files", [])
        manifest.setdefault("evaluation", inherited["evaluation"])
    for key in ("files", "evaluation"):
        if key not in manifest:
            raise ValueError(f"real-footage manifest {path}: missing key {key!r}")
    packages = manifest.get("packages", [manifest["package"]] if "package" in manifest else [])
    if not packages or not all(isinstance(p, dict) and p.get("name") and p.get("version") for p in packages):
        raise ValueError(f"real-footage manifest {path}: needs \"packages\", a list of {{name, version}} "
                         "(the Debian packages its files come from)")
    names = [p["name"] for p in packages]
    if len(set(names)) != len(names):
        raise ValueError(f"real-footage manifest {path}: a package is listed twice ({', '.join(names)})")
    if not manifest["files"]:
        raise ValueError(f"real-footage manifest {path} lists no files")
    for entry in manifest["files"]:
        name = entry.setdefault("package", names[0]) if len(names) == 1 else entry.get("package")
        if name not in names:
            raise ValueError(f"real-footage manifest {path}: file {entry.get('id')!r} names package {name!r}, "
                             f"not one of {', '.join(names)}")
    manifest.pop("package", None)
    manifest["packages"] = packages
    return manifest


def evaluation_hashes(manifest_path: Path, manifest: dict) -> set:
    """sha256 of every photo of the evaluation clip(s) the manifest names (relative to its folder)."""
    hashes = set()
    for rel in manifest["evaluation"]:
        sources = json.loads((manifest_path.parent / rel).read_text())
        hashes |= {p["sha256"] for p in sources["photos"]}
    return hashes


def ensure_packages(root: Path, packages: Sequence[dict], log=lambda e: None) -> Path:
    """The folder the packages are extracted in, side by side (their files live under different paths):
    `root`, each package downloaded with apt and unpacked there unless its marker says it already is."""
    root.mkdir(parents=True, exist_ok=True)
    for package in packages:
        name, version = package["name"], package["version"]
        marker = root / f".extracted-{name}_{version}"
        if marker.is_file():
            continue
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


def read_photo(path: Path) -> Tuple[np.ndarray, float]:
    """[1, H, W, 3] uint8, and the scale from the file's pixels to the stored ones."""
    im = Image.open(path).convert("RGB")
    scale = 1.0
    if im.width > MAX_STORED_WIDTH:
        scale = MAX_STORED_WIDTH / im.width
        im = im.resize((MAX_STORED_WIDTH, round(im.height * scale)), Image.LANCZOS)
    return np.asarray(im)[None], scale


def read_hand_labels(path: Path, scale: float, height: int, width: int) -> np.ndarray:
    """A photo's polygon file (its own pixel coordinates) rasterised at the stored size."""
    layers = [(name, [(x * scale, y * scale) for x, y in poly]) for name, poly in load_polygons(str(path))]
    labels = rasterise(layers, width, height, band=max(1, round(DEFAULT_BAND * width / LABEL_BAND_WIDTH)))
    if (labels == IGNORE_INDEX).all():
        raise ValueError(f"{path}: the polygons label no pixel of the photo")
    return labels


LabelFolders = Union[str, Path, Sequence[Union[str, Path]], None]


def _folders(labels: LabelFolders) -> List[Path]:
    if labels is None:
        return []
    return [Path(labels)] if isinstance(labels, (str, Path)) else [Path(f) for f in labels]


def label_files(labels: LabelFolders) -> Dict[str, Path]:
    """Footage id -> its polygon file `<id>.json`, over one or more labels folders; an id that two
    folders label is refused (which would win is not obvious)."""
    files: Dict[str, Path] = {}
    for folder in _folders(labels):
        if not folder.is_dir():
            raise FileNotFoundError(f"hand labels {folder}: not a folder")
        for path in sorted(folder.glob("*.json")):
            if path.stem in files:
                raise ValueError(f"hand labels: {path.stem} is labelled twice ({files[path.stem]} and {path})")
            files[path.stem] = path
    return files


def hand_labelled_ids(labels: LabelFolders) -> List[str]:
    """The footage ids the labels folder(s) label."""
    return sorted(label_files(labels))


def load_items(manifest_path: str | Path, root: Path, labels: LabelFolders = None) -> List[FootageItem]:
    """Every manifest file, hash-checked, never one of the evaluation photos; with `labels` (a folder or
    several), a photo whose id has a polygon file `<folder>/<id>.json` carries those hand labels."""
    manifest_path = Path(manifest_path)
    manifest = load_manifest(manifest_path)
    held_out = evaluation_hashes(manifest_path, manifest)
    polygon_files = label_files(labels)
    items = []
    for entry in manifest["files"]:
        path = root / entry["path"]
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist: is the package {entry['package']} extracted in {root}?")
        digest = sha256_of(path)
        if digest != entry["sha256"]:
            raise ValueError(f"{path}: sha256 {digest[:16]}... is not the manifest's {entry['sha256'][:16]}...")
        if digest in held_out:
            raise ValueError(f"{entry['id']} ({entry['path']}) is a photo of the real-footage evaluation clip: "
                             "training on it would leak the evaluation")
        polygons = polygon_files.get(entry["id"])
        if path.suffix.lower() in VIDEO_SUFFIXES:
            if polygons is not None:
                raise ValueError(f"{polygons}: hand labels are for photos; {entry['id']} is a video")
            items.append(FootageItem(entry["id"], read_video(path)))
            continue
        frames, scale = read_photo(path)
        labels_of_photo = None if polygons is None else read_hand_labels(polygons, scale, *frames.shape[1:3])
        items.append(FootageItem(entry["id"], frames, labels_of_photo))
    strays = sorted(set(polygon_files) - {item.id for item in items})
    if strays:
        raise ValueError(f"hand labels {', '.join(str(f) for f in _folders(labels))}: {', '.join(strays)} "
                         f"name no file of {manifest_path}")
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
    """Real clips of `height` x `width` (see the module docstring), hand-labelled or not; no evaluation
    set: the real-footage evaluation clip is scored by the browser evaluator and `mila.evaluate` on its own."""

    dense_labels = False

    def __init__(self, items: Sequence[FootageItem], height: int, width: int,
                 camera: CameraPath = CameraPath(), max_stride: int = 2):
        if not items:
            raise ValueError("RealFootageDataset needs at least one photo or video")
        self.items = list(items)
        self.height, self.width = height, width
        self.camera = camera
        self.max_stride = max_stride

    def hand_labelled(self) -> "RealFootageDataset":
        """The same footage, only its hand-labelled photos."""
        items = [i for i in self.items if i.labels is not None]
        if not items:
            raise ValueError("no footage item has hand labels (a polygon file in the labels folder)")
        return RealFootageDataset(items, self.height, self.width, self.camera, self.max_stride)

    def _clip(self, item: FootageItem, num_frames: int, rng: random.Random) -> Tuple[torch.Tensor, torch.Tensor]:
        n, src_h, src_w = item.frames.shape[:3]
        stride = rng.randint(1, self.max_stride) if n > 1 else 0
        span = (num_frames - 1) * stride
        if span >= n:
            stride, span = 1, num_frames - 1
            if span >= n:
                raise ValueError(f"video {item.id} has {n} frames; a clip needs {num_frames}")
        start = rng.randint(0, n - 1 - span)
        boxes = crop_boxes(rng, src_w, src_h, self.width / self.height, num_frames, self.camera)
        size = (self.width, self.height)
        out = [np.asarray(Image.fromarray(item.frames[start + i * stride]).resize(size, Image.BILINEAR, box=boxes[i]))
               for i in range(num_frames)]
        if item.labels is None:
            labels = np.full((num_frames, self.height, self.width), IGNORE_INDEX, np.uint8)
        else:  # nearest: a class ID is never blended with its neighbour's
            labels = np.stack([np.asarray(Image.fromarray(item.labels).resize(size, Image.NEAREST, box=box))
                               for box in boxes])
        return torch.from_numpy(np.stack(out)), torch.from_numpy(labels).long()

    def sample(self, batch_size: int, num_frames: int, rng: random.Random) -> ClipBatch:
        clips = [self._clip(self.items[rng.randrange(len(self.items))], num_frames, rng) for _ in range(batch_size)]
        rgb = torch.stack([c[0] for c in clips])
        labels = torch.stack([c[1] for c in clips])
        return ClipBatch(rgb, labels, torch.zeros(labels.shape))

    def eval_batches(self, num_frames: int, batch_size: int) -> Iterator[ClipBatch]:
        raise ValueError("real training footage has no evaluation set: the real-footage evaluation clip is another")
