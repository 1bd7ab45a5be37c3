"""Random surface appearance of randomised worlds: per view and class, a procedural or photographic
pattern in two random colours at a random scale, blended over the world's own albedo. Coordinates
are the hit point relative to its object (so textures stick to moving objects), projected on the
plane across the surface normal's dominant axis."""
import functools
from pathlib import Path

import numpy as np
import torch

from .noise import cell_random, fbm

TEXTURE_DIR = Path(__file__).resolve().parent / "textures"
PHOTOS = ("brick", "grass", "gravel")  # textures/README.md: origin and licence (CC0)


@functools.lru_cache(maxsize=4)
def photos(device: str) -> torch.Tensor:
    """[len(PHOTOS), S, S] grey photos in [0, 1]."""
    from PIL import Image

    arrays = [np.asarray(Image.open(TEXTURE_DIR / f"{n}.png").convert("L"), np.float32) / 255.0 for n in PHOTOS]
    return torch.as_tensor(np.stack(arrays), device=device)


def _photo(index: torch.Tensor, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Bilinear, wrapping lookup of photo `index` at texture coordinates (u, v) (one period = 1)."""
    tex = photos(str(u.device))
    n, size = tex.shape[0], tex.shape[-1]
    x, y = torch.remainder(u, 1.0) * size - 0.5, torch.remainder(v, 1.0) * size - 0.5
    x0, y0 = torch.floor(x), torch.floor(y)
    wx, wy = x - x0, y - y0
    flat = tex.reshape(n, -1)
    at = lambda xi, yi: flat[index, torch.remainder(yi.long(), size) * size + torch.remainder(xi.long(), size)]  # noqa: E731
    top = at(x0, y0) * (1 - wx) + at(x0 + 1, y0) * wx
    bottom = at(x0, y0 + 1) * (1 - wx) + at(x0 + 1, y0 + 1) * wx
    return top * (1 - wy) + bottom * wy


def pattern(kind: torch.Tensor, u: torch.Tensor, v: torch.Tensor, salt: torch.Tensor) -> torch.Tensor:
    """Pattern value in [0, 1] of every point for its texture kind (randomize.TEXTURE_KINDS: noise,
    stripes, checker, cells, then the PHOTOS)."""
    out = fbm(u, v, salt, octaves=3)
    out = torch.where(kind == 1, (torch.remainder(u, 1.0) < 0.5).float(), out)
    out = torch.where(kind == 2, torch.remainder(torch.floor(u) + torch.floor(v), 2.0), out)
    out = torch.where(kind == 3, cell_random(torch.floor(u).long(), torch.floor(v).long(), salt + 5), out)
    photo = kind >= 4
    if photo.any():
        idx = photo.nonzero(as_tuple=True)[0]
        out = out.clone()
        out[idx] = _photo(kind[idx] - 4, u[idx], v[idx])
    return out


def retexture(view, labels, p, nrm, anchor, albedo, tex: dict, salt):
    """albedo [M, 3] of hit points (view index [M], labels [M], world points p, normals, object
    anchors [M, 3]) with the random textures of `tex` (per-view tensors, see render_random)."""
    cls = labels.clamp(max=tex["on"].shape[1] - 1)
    on = tex["on"][view, cls]
    idx = on.nonzero(as_tuple=True)[0]
    if not idx.numel():
        return albedo
    v, c = view[idx], cls[idx]
    q = (p[idx] - anchor[idx]) / tex["scale"][v, c][:, None]
    axis = nrm[idx].abs().argmax(-1)
    u = torch.where(axis == 0, q[:, 1], q[:, 0])
    w = torch.where(axis == 2, q[:, 1], q[:, 2])
    val = pattern(tex["kind"][v, c], u, w, salt[v] + c * 101)
    col = tex["col1"][v, c] + (tex["col2"][v, c] - tex["col1"][v, c]) * val[:, None]
    out = albedo.clone()
    out[idx] = albedo[idx] + (col - albedo[idx]) * tex["mix"][v, c][:, None]
    return out
