"""mila.street: procedural ground-truth street video (RGB, Cityscapes classes, metric depth, poses).

See docs/ARCHITECTURE.md, "Rendered data"."""
from .api import HELD_OUT_SEEDS, TRAIN_SEED_RANGE, StreetClip, render_clips, render_frames
from .randomize import RandomizeSpec
from .classes import CLASS_COLORS, CLASS_NAMES, IGNORE_INDEX, RENDERED_CLASSES
from .route import WORLD_SECONDS

__all__ = ["StreetClip", "RandomizeSpec", "render_clips", "render_frames", "CLASS_NAMES", "CLASS_COLORS", "RENDERED_CLASSES", "IGNORE_INDEX",
           "TRAIN_SEED_RANGE", "HELD_OUT_SEEDS", "WORLD_SECONDS"]
