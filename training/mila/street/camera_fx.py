"""Randomised cameras (mila.street.randomize): lens distortion as a warp of the undistorted render
(RGB bilinear; labels and depth nearest, so they stay the ground truth of the ray each pixel shows),
and the sensor pipeline: exposure, white balance, vignetting, defocus and motion blur, gamma,
contrast, noise, 8-bit quantisation, JPEG compression. Photometric steps touch RGB only."""
import io
import math

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


def distortion_grid(k: torch.Tensor, scale: torch.Tensor, height: int, width: int, focal: torch.Tensor):
    """grid_sample grid [V, H, W, 2] (align_corners=False) of the undistorted render for every pixel
    of the distorted frame: x_u = x_d (1 + k r_d^2) in units of the output focal length `focal`, read
    at focal * scale (the render's focal)."""
    dev = k.device
    v, u = torch.meshgrid(torch.arange(height, device=dev, dtype=torch.float32) + 0.5,
                          torch.arange(width, device=dev, dtype=torch.float32) + 0.5, indexing="ij")
    xd = (u[None] - width / 2) / focal[:, None, None]
    yd = (v[None] - height / 2) / focal[:, None, None]
    grow = 1 + k[:, None, None] * (xd * xd + yd * yd)
    us = width / 2 + focal[:, None, None] * scale[:, None, None] * xd * grow
    vs = height / 2 + focal[:, None, None] * scale[:, None, None] * yd * grow
    return torch.stack([us / width * 2 - 1, vs / height * 2 - 1], -1)


def warp(grid, radiance, labels, depth):
    """radiance [V, H, W, 3], labels [V, H, W] (int), depth [V, H, W] through the grid."""
    r = F.grid_sample(radiance.permute(0, 3, 1, 2), grid, mode="bilinear", padding_mode="border",
                      align_corners=False).permute(0, 2, 3, 1)
    lab = F.grid_sample(labels[:, None].float(), grid, mode="nearest", padding_mode="border", align_corners=False)
    dep = F.grid_sample(depth[:, None], grid, mode="nearest", padding_mode="border", align_corners=False)
    return r, lab[:, 0].round().long(), dep[:, 0]


def _disk(radius: float):
    n = int(math.ceil(radius))
    y, x = torch.meshgrid(torch.arange(-n, n + 1, dtype=torch.float32), torch.arange(-n, n + 1, dtype=torch.float32),
                          indexing="ij")
    # area of each pixel inside the disk, approximated by a soft edge one pixel wide
    k = (radius + 0.5 - (x * x + y * y).sqrt()).clamp(0, 1)
    return k / k.sum()


def _line(length: float, angle: float):
    n = int(math.ceil(length / 2))
    y, x = torch.meshgrid(torch.arange(-n, n + 1, dtype=torch.float32), torch.arange(-n, n + 1, dtype=torch.float32),
                          indexing="ij")
    c, s = math.cos(angle), math.sin(angle)
    along, across = x * c + y * s, -x * s + y * c
    k = (1 - across.abs()).clamp(0, 1) * (length / 2 + 0.5 - along.abs()).clamp(0, 1)
    return k / k.sum()


def blur_kernel(defocus_px: float, motion_px: float, angle: float):
    """Point spread of defocus (disk of radius defocus_px) convolved with motion (a line of
    motion_px); None when both are below a tenth of a pixel."""
    parts = []
    if defocus_px >= 0.1:
        parts.append(_disk(defocus_px))
    if motion_px >= 0.1:
        parts.append(_line(motion_px, angle))
    if not parts:
        return None
    k = parts[0]
    for p in parts[1:]:
        pad = p.shape[-1] // 2
        k = F.conv2d(F.pad(k[None, None], (pad, pad, pad, pad)), p.flip(0, 1)[None, None])[0, 0]
    return k / k.sum()


def blur(img: torch.Tensor, kernel) -> torch.Tensor:
    """img [H, W, 3] -> same, convolved with kernel (edges replicated)."""
    if kernel is None:
        return img
    pad = kernel.shape[-1] // 2
    x = F.pad(img.permute(2, 0, 1)[None], (pad, pad, pad, pad), mode="replicate")
    w = kernel.to(img)[None, None].expand(3, 1, -1, -1)
    return F.conv2d(x, w, groups=3)[0].permute(1, 2, 0)


def tone(srgb: torch.Tensor, gamma: torch.Tensor, contrast: torch.Tensor) -> torch.Tensor:
    """srgb [V, ..., 3] in [0, 1]: a power curve, then contrast around mid grey."""
    shape = (-1,) + (1,) * (srgb.dim() - 1)
    out = srgb.clamp(0, 1) ** gamma.reshape(shape)
    return (0.5 + (out - 0.5) * contrast.reshape(shape)).clamp(0, 1)


def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    """A JPEG round trip (PIL/libjpeg, 4:2:0 chroma): block and ringing artefacts of compressed video."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=int(quality))
    buf.seek(0)
    return np.array(Image.open(buf).convert("RGB"))
