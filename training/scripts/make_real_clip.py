"""Build the real-footage evaluation clip public/samples/<id>/ from photos a Debian package ships.

Each photo of training/real_footage/sources.json is scaled to the clip width, a band of the clip height
is cut at its `cropY`, and it is held for `hold` frames of a VP9 clip (a still is a clip that does not
move). Its labels are the hand-drawn polygons of training/real_footage/polygons/<photo id>.json,
rasterised by label_polygons.py. There is no depth ground truth, so the manifest has no depth keys.

The photos are not in the repository: extract the package first and pass its root,
  apt-get download opencv-doc && dpkg -x opencv-doc_*.deb /tmp/opencv-doc
  /usr/bin/python3 training/scripts/make_real_clip.py --root /tmp/opencv-doc [--overlays /tmp/check]
Every photo's sha256 is checked against sources.json. Writes clip.webm, labels/%06d.png, manifest.json,
ATTRIBUTION.md and the package's copyright file, and adds the clip to public/samples/index.json."""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import List

import numpy as np
from PIL import Image

import _path  # noqa: F401  (makes `mila` importable)
from mila.polygons import load_polygons, overlay, rasterise
from mila.real_footage import sha256_of
from mila.street.classes import CLASS_NAMES
from mila.street.export import LABELS_PATTERN, count_video_frames, open_vp9_encoder

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TRAINING)
SOURCES = os.path.join(TRAINING, "real_footage", "sources.json")
APACHE = "/usr/share/common-licenses/Apache-2.0"


def crop_photo(path: str, width: int, height: int, crop_y: int) -> np.ndarray:
    """The photo scaled to `width` (aspect kept), rows crop_y .. crop_y + height, as [H, W, 3] uint8."""
    im = Image.open(path).convert("RGB")
    scaled_h = round(im.height * width / im.width)
    if not 0 <= crop_y <= scaled_h - height:
        raise ValueError(f"{path}: cropY {crop_y} is outside 0..{scaled_h - height} (scaled to {width}x{scaled_h})")
    im = im.resize((width, scaled_h), Image.LANCZOS)
    return np.asarray(im.crop((0, crop_y, width, crop_y + height)))


def attribution(src: dict) -> str:
    pkg = src["package"]
    lines = [
        f"# {src['name']}: sources and licence", "",
        f"Photos shipped by the Debian package `{pkg['name']}` {pkg['version']}, obtained with",
        f"{pkg['archive']}.", "",
        f"Licence: {pkg['licence']}.",
        f"The package's copyright file is `COPYRIGHT.{pkg['name']}` beside this file; the Apache-2.0 text it",
        "refers to is `LICENSE.Apache-2.0`.", "",
        "Each photo is scaled to the clip width and cropped to the clip height (rows from `cropY`), then held",
        f"for {src['hold']} frames. Labels are coarse hand-drawn polygons (training/real_footage/polygons/),",
        "Cityscapes train IDs, 255 where unsure and on class boundaries. There is no depth ground truth.", "",
        "| frames | photo | path in the package | sha256 | scene |", "|---|---|---|---|---|",
    ]
    for i, p in enumerate(src["photos"]):
        first = i * src["hold"]
        lines.append(f"| {first}-{first + src['hold'] - 1} | {p['id']} | `{p['path']}` (cropY {p['cropY']}) "
                     f"| `{p['sha256'][:16]}…` | {p['scene']} |")
    return "\n".join(lines) + "\n"


def update_index(samples: str, clip_id: str, name: str, frames: int) -> None:
    """Adds or replaces the clip's entry in index.json, keeping the others."""
    path = os.path.join(samples, "index.json")
    clips: List[dict] = []
    if os.path.isfile(path):
        with open(path) as fh:
            clips = [c for c in json.load(fh)["clips"] if c["id"] != clip_id]
    clips.append({"id": clip_id, "name": name, "frames": frames})
    with open(path, "w") as fh:
        json.dump({"clips": clips}, fh, indent=2)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", required=True, help="where the package was extracted (dpkg -x)")
    ap.add_argument("--sources", default=SOURCES)
    ap.add_argument("--samples", default=os.path.join(REPO, "public", "samples"))
    ap.add_argument("--crf", type=int, default=20, help="VP9 quality (lower is better)")
    ap.add_argument("--overlays", help="also write <photo id>.png (frame) and <photo id>.overlay.png here")
    args = ap.parse_args(argv)
    with open(args.sources) as fh:
        src = json.load(fh)
    width, height, hold = src["width"], src["height"], src["hold"]
    polygons_dir = os.path.join(os.path.dirname(args.sources), "polygons")
    photos = []
    for p in src["photos"]:
        path = os.path.join(args.root, p["path"])
        if not os.path.isfile(path):
            sys.exit(f"make_real_clip: {path} does not exist: extract {src['package']['name']} into --root first")
        if sha256_of(Path(path)) != p["sha256"]:
            sys.exit(f"make_real_clip: {path} is not the photo sources.json names (sha256 differs)")
        rgb = crop_photo(path, width, height, p["cropY"])
        labels = rasterise(load_polygons(os.path.join(polygons_dir, f"{p['id']}.json")), width, height)
        photos.append((p["id"], rgb, labels))

    out = os.path.join(args.samples, src["id"])
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "labels"))
    video = os.path.join(out, "clip.webm")
    enc = open_vp9_encoder(video, width, height, src["fps"], args.crf)
    try:
        for i, (_, rgb, labels) in enumerate(photos):
            for j in range(hold):
                enc.stdin.write(np.ascontiguousarray(rgb).tobytes())
                Image.fromarray(labels, "L").save(os.path.join(out, LABELS_PATTERN % (i * hold + j)), optimize=True)
    finally:
        enc.stdin.close()
        if enc.wait() != 0:
            sys.exit(f"make_real_clip: ffmpeg failed writing {video}")
    frames = len(photos) * hold
    if count_video_frames(video) != frames:
        sys.exit(f"make_real_clip: {video} has {count_video_frames(video)} frames, expected {frames}")
    manifest = {"name": src["name"], "video": "clip.webm", "fps": src["fps"], "frames": frames, "width": width,
                "height": height, "labels": LABELS_PATTERN, "classes": list(CLASS_NAMES)}
    with open(os.path.join(out, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
    with open(os.path.join(out, "ATTRIBUTION.md"), "w") as fh:
        fh.write(attribution(src))
    shutil.copyfile(os.path.join(args.root, src["package"]["copyright"]), os.path.join(out, f"COPYRIGHT.{src['package']['name']}"))
    shutil.copyfile(APACHE, os.path.join(out, "LICENSE.Apache-2.0"))
    update_index(args.samples, src["id"], src["name"], frames)
    if args.overlays:
        os.makedirs(args.overlays, exist_ok=True)
        for photo_id, rgb, labels in photos:
            Image.fromarray(rgb).save(os.path.join(args.overlays, f"{photo_id}.png"))
            Image.fromarray(overlay(rgb, labels)).save(os.path.join(args.overlays, f"{photo_id}.overlay.png"))
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(out) for f in fs)
    print(f"{out}: {frames} frames, {size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
