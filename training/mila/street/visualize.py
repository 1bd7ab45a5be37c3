"""Colour images of labels and depth for contact sheets and debugging."""
import numpy as np

from .classes import CLASS_COLORS

# a few stops of a perceptual (magma-like) ramp, near = bright
_RAMP = np.array([[252, 253, 191], [252, 137, 97], [183, 55, 121], [81, 18, 124], [0, 0, 4]], np.float64)


def colorize_labels(labels: np.ndarray) -> np.ndarray:
    """[..., H, W] train ids (255 unlabelled -> black) -> [..., H, W, 3] uint8."""
    lut = np.zeros((256, 3), np.uint8)
    lut[:len(CLASS_COLORS)] = np.array(CLASS_COLORS, np.uint8)
    return lut[labels]


def colorize_depth(depth: np.ndarray, max_depth: float) -> np.ndarray:
    """Metres -> colours on a log scale between 1 m and max_depth; 0 (invalid) -> black."""
    x = np.log(np.clip(depth, 1.0, max_depth)) / np.log(max_depth)
    pos = x * (len(_RAMP) - 1)
    i = np.clip(np.floor(pos).astype(int), 0, len(_RAMP) - 2)
    w = (pos - i)[..., None]
    out = _RAMP[i] * (1 - w) + _RAMP[i + 1] * w
    out[depth <= 0] = 0
    return out.astype(np.uint8)
