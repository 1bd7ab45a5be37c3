"""Rasterise hand-drawn label polygons into a label PNG in the sample format (8-bit gray Cityscapes train
IDs, 255 = unlabelled), and draw overlays to check them against the image. The polygon format and the
boundary band are mila.polygons'.

Usage (from the repository root):
  /usr/bin/python3 training/scripts/label_polygons.py POLYGONS.json --size 512x256 --out labels.png \
      [--image frame.png --overlay overlay.png]"""
import argparse
import json
import sys
from typing import Tuple

import numpy as np
from PIL import Image

import _path  # noqa: F401  (makes `mila` importable)
from mila.polygons import DEFAULT_BAND, PolygonError, class_pixel_counts, load_polygons, overlay, rasterise


def _size(text: str) -> Tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if w < 1 or h < 1:
        raise argparse.ArgumentTypeError(f"size must be positive, got {text!r}")
    return w, h


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("polygons")
    ap.add_argument("--size", type=_size, required=True, help="WIDTHxHEIGHT of the frame")
    ap.add_argument("--out", required=True, help="label PNG to write")
    ap.add_argument("--band", type=int, default=DEFAULT_BAND, help="unlabelled pixels each side of a class boundary")
    ap.add_argument("--image", help="the frame, for --overlay")
    ap.add_argument("--overlay", help="PNG of the labels over --image")
    args = ap.parse_args(argv)
    if bool(args.image) != bool(args.overlay):
        ap.error("--image and --overlay go together")
    try:
        labels = rasterise(load_polygons(args.polygons), *args.size, band=args.band)
    except (OSError, PolygonError) as e:
        sys.exit(f"label_polygons: {e}")
    Image.fromarray(labels, "L").save(args.out, optimize=True)
    if args.image:
        rgb = np.asarray(Image.open(args.image).convert("RGB"))
        if rgb.shape[:2] != labels.shape:
            sys.exit(f"label_polygons: {args.image} is {rgb.shape[1]}x{rgb.shape[0]}, the labels {args.size[0]}x{args.size[1]}")
        Image.fromarray(overlay(rgb, labels)).save(args.overlay)
    print(json.dumps(class_pixel_counts(labels)))


if __name__ == "__main__":
    main()
