"""A fabricated 'package' of unlabelled real footage for tests: two photos, a short video, a manifest
naming them, and an evaluation sources.json that names a third photo (which training must refuse); and
a hand-labelled photo to add."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from mila.real_footage import sha256_of


def _photo(path: Path, seed: int, size=(160, 120)) -> None:
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (size[1] // 8, size[0] // 8, 3), dtype=np.uint8)
    Image.fromarray(coarse).resize(size, Image.BILINEAR).save(path)


def fabricate_footage(folder: Path, with_video: bool = True) -> Path:
    """Writes folder/pkg/... and folder/manifest.json; returns the manifest's path."""
    pkg = folder / "pkg"
    (pkg / "photos").mkdir(parents=True)
    for i, name in enumerate(("street.png", "park.png", "evaluated.png")):
        _photo(pkg / "photos" / name, i)
    files = [{"id": n, "path": f"photos/{n}.png", "sha256": sha256_of(pkg / "photos" / f"{n}.png"), "scene": n}
             for n in ("street", "park")]
    if with_video:
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10:duration=1.2",
                        "-c:v", "mjpeg", "-q:v", "3", str(pkg / "clip.avi")], check=True)
        files.append({"id": "clip", "path": "clip.avi", "sha256": sha256_of(pkg / "clip.avi"), "scene": "test pattern"})
    (folder / "sources.json").write_text(json.dumps({"photos": [
        {"id": "evaluated", "sha256": sha256_of(pkg / "photos" / "evaluated.png")}]}))
    manifest = {"package": {"name": "fabricated", "version": "1"}, "evaluation": ["sources.json"], "files": files}
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest))
    return path


def add_file(manifest_path: Path, entry: dict) -> None:
    manifest = json.loads(manifest_path.read_text())
    manifest["files"].append(entry)
    manifest_path.write_text(json.dumps(manifest))


def add_two_tone_photo(folder: Path, manifest: Path, width: int = 1000, height: int = 400) -> Path:
    """Adds a photo red on its left 40% and blue on the rest, hand-labelled road | sky in its own pixels
    (folder/labels/two-tone.json); returns the labels folder."""
    rgb = np.zeros((height, width, 3), np.uint8)
    split = int(width * 0.4)
    rgb[:, :split, 0] = 220
    rgb[:, split:, 2] = 220
    Image.fromarray(rgb).save(folder / "pkg" / "photos" / "two-tone.png")
    add_file(manifest, {"id": "two-tone", "path": "photos/two-tone.png",
                        "sha256": sha256_of(folder / "pkg" / "photos" / "two-tone.png")})
    labels = folder / "labels"
    labels.mkdir(exist_ok=True)
    (labels / "two-tone.json").write_text(json.dumps({
        "road": [[[0, 0], [split, 0], [split, height], [0, height]]],
        "sky": [[[split, 0], [width, 0], [width, height], [split, height]]]}))
    return labels
