"""Hand-drawn label polygons: parse a polygon file and rasterise it into Cityscapes train IDs.

A polygon file is a JSON object {class name: [polygon, ...]}, a polygon being [[x, y], ...] (three or
more points, pixel coordinates of the picture). Classes are drawn in the file's order, each over the ones
before it; the name "unlabelled" draws 255 (unsure regions). Everything not covered stays 255, and so
does a band of `band` pixels on each side of every boundary between two different classes (coarse hand
polygons are not trusted there). Used for the real-footage evaluation clip (scripts/make_real_clip.py)
and for the hand-labelled real training photos (mila.real_footage).
"""
from __future__ import annotations

import json
from typing import Dict, List, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

from .street.classes import CLASS_COLORS, CLASS_NAMES, IGNORE_INDEX

UNLABELLED = "unlabelled"
DEFAULT_BAND = 2

Layer = Tuple[str, List[Tuple[float, float]]]


class PolygonError(ValueError):
    pass


def parse_polygons(data: object, source: str, class_names: Sequence[str] = CLASS_NAMES) -> List[Layer]:
    """The file's (class, polygon) layers in drawing order; clear errors naming the file and the class."""
    if not isinstance(data, dict) or not data:
        raise PolygonError(f"{source}: expected a non-empty JSON object {{class name: [polygons]}}")
    layers: List[Layer] = []
    for name, polygons in data.items():
        if name != UNLABELLED and name not in class_names:
            raise PolygonError(f"{source}: unknown class {name!r} (known: {', '.join(class_names)}, or {UNLABELLED!r})")
        if not isinstance(polygons, list) or not polygons:
            raise PolygonError(f"{source}: {name!r} must be a non-empty list of polygons")
        for i, poly in enumerate(polygons):
            ok = isinstance(poly, list) and len(poly) >= 3 and all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(v, (int, float)) for v in p) for p in poly)
            if not ok:
                raise PolygonError(f"{source}: {name!r} polygon {i} must be a list of 3 or more [x, y] points")
            layers.append((name, [(float(x), float(y)) for x, y in poly]))
    return layers


def load_polygons(path: str, class_names: Sequence[str] = CLASS_NAMES) -> List[Layer]:
    try:
        with open(path) as fh:
            data = json.load(fh)
    except json.JSONDecodeError as e:
        raise PolygonError(f"{path}: not valid JSON ({e})") from e
    return parse_polygons(data, path, class_names)


def boundary_band(labels: np.ndarray, band: int, ignore: int = IGNORE_INDEX) -> np.ndarray:
    """Pixels within `band` (Chebyshev distance) of a pixel of another labelled class, as a bool mask."""
    h, w = labels.shape
    padded = np.pad(labels, band, mode="edge")
    near = np.zeros((h, w), bool)
    for dy in range(-band, band + 1):
        for dx in range(-band, band + 1):
            other = padded[band + dy:band + dy + h, band + dx:band + dx + w]
            near |= (other != labels) & (other != ignore)
    return near & (labels != ignore)


def rasterise(layers: Sequence[Layer], width: int, height: int, band: int = DEFAULT_BAND,
              class_names: Sequence[str] = CLASS_NAMES) -> np.ndarray:
    """[height, width] uint8 train IDs, 255 where uncovered, unsure or on a class boundary."""
    image = Image.new("L", (width, height), IGNORE_INDEX)
    draw = ImageDraw.Draw(image)
    for name, poly in layers:
        value = IGNORE_INDEX if name == UNLABELLED else class_names.index(name)
        draw.polygon(poly, fill=value)
    labels = np.asarray(image).copy()
    if band > 0:
        labels[boundary_band(labels, band)] = IGNORE_INDEX
    return labels


def overlay(rgb: np.ndarray, labels: np.ndarray, alpha: float = 0.5,
            colors: Sequence[Tuple[int, int, int]] = CLASS_COLORS) -> np.ndarray:
    """The image with labelled pixels tinted by their class colour (unlabelled pixels untouched)."""
    palette = np.zeros((256, 3), np.float32)
    palette[:len(colors)] = np.asarray(colors, np.float32)
    tint = palette[labels]
    labelled = (labels != IGNORE_INDEX)[..., None]
    out = np.where(labelled, (1 - alpha) * rgb.astype(np.float32) + alpha * tint, rgb.astype(np.float32))
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def class_pixel_counts(labels: np.ndarray, class_names: Sequence[str] = CLASS_NAMES) -> Dict[str, int]:
    counts = np.bincount(labels.ravel(), minlength=256)
    return {name: int(counts[i]) for i, name in enumerate(class_names) if counts[i] > 0}
