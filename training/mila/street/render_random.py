"""Render views of randomised worlds (mila.street.randomize): the plain renderer's ray casting and
shading, plus random textures, a wider culling wedge for tilted and rolled cameras, the lens
distortion warp and the randomised sensor (camera_fx)."""
from typing import List

import numpy as np
import torch

from .camera_fx import blur, blur_kernel, distortion_grid, jpeg, tone, warp
from .randomize import Draw, RandomizeSpec
from .render import ViewBatch, _trace, sensor_noise
from .retexture import retexture
from .scene import build_scene
from .view_params import view_params

NO_LATERAL_CULL = 1e3  # tan_half for a view whose rays reach sideways or backwards


def culling_tan_half(poses: torch.Tensor, K: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """[V] the largest |lateral| / along (horizontal, relative to the optical axis' heading) of any
    ray of the view. view_prims culls with it; for an upright camera it is width / 2 / focal, a
    tilted or rolled one reaches wider. The ratio is linear-fractional in the ray, so over the image
    its maximum is at a corner, provided every corner looks forward."""
    corners = torch.tensor([[0.0, 0.0], [width, 0.0], [0.0, height], [width, height]], device=poses.device)
    x = (corners[None, :, 0] - K[:, 0, 2:3]) / K[:, 0, 0:1]
    y = (corners[None, :, 1] - K[:, 1, 2:3]) / K[:, 1, 1:2]
    R = poses[:, :3, :3]
    d = R[:, None, :, 0] * x[..., None] + R[:, None, :, 1] * y[..., None] + R[:, None, :, 2]
    fwd2 = torch.nn.functional.normalize(poses[:, :2, 2], dim=1)
    along = (d[..., :2] * fwd2[:, None]).sum(-1)
    lateral = (d[..., 0] * fwd2[:, None, 1] - d[..., 1] * fwd2[:, None, 0]).abs()
    ratio = lateral / along.clamp(min=1e-6)
    forward = (along > 1e-3 * d[..., :2].norm(dim=-1)).all(1)
    return torch.where(forward, ratio.amax(1), torch.full_like(ratio[:, 0], NO_LATERAL_CULL))


def _lin(a: np.ndarray) -> np.ndarray:
    return np.clip(a, 0, 1) ** 2.2


def texture_tensors(draws: List[Draw], device) -> dict:
    f32 = lambda a: torch.as_tensor(np.stack(a), dtype=torch.float32, device=device)  # noqa: E731
    return {"on": torch.as_tensor(np.stack([d.tex_on for d in draws]), device=device),
            "kind": torch.as_tensor(np.stack([d.tex_kind for d in draws]), dtype=torch.long, device=device),
            "scale": f32([d.tex_scale for d in draws]), "mix": f32([d.tex_mix for d in draws]),
            "col1": f32([_lin(d.tex_col1) for d in draws]), "col2": f32([_lin(d.tex_col2) for d in draws])}


def render_views_randomized(seeds: List[int], poses: torch.Tensor, K: torch.Tensor, times: torch.Tensor,
                            frame_ids: torch.Tensor, height: int, width: int, max_depth: float,
                            draws: List[Draw], spec: RandomizeSpec, supersample: int = 1):
    """As render.render_views, for randomised worlds: K is the pinhole K of the undistorted render
    (randomize.camera), draws[i] the random factors of view i. Returns rgb, labels, depth."""
    dev = poses.device
    V = len(seeds)
    scenes = [build_scene(s, spec.layouts) for s in seeds]
    prm = view_params(scenes, dev)
    f32 = lambda a: torch.as_tensor(np.stack(a), dtype=torch.float32, device=dev)  # noqa: E731
    hook = None
    if spec.appearance:
        sky = torch.as_tensor([d.sky for d in draws], device=dev)[:, None]
        prm["zenith"] = torch.where(sky, f32([_lin(d.zenith) for d in draws]), prm["zenith"])
        prm["horizon"] = torch.where(sky, f32([_lin(d.horizon) for d in draws]), prm["horizon"])
        tex = texture_tensors(draws, dev)
        hook = lambda view, lab, p, nrm, anchor, alb: retexture(view, lab, p, nrm, anchor, alb, tex, prm["salt"])  # noqa: E731
    tan_half = culling_tan_half(poses, K, height, width)
    batch = ViewBatch(seeds, poses, times, tan_half, K[:, 0, 0], dev, spec.layouts)
    radiance, t, hit, labels, d = _trace(poses, K, height, width, batch, prm, hook)
    if supersample > 1:
        ss = supersample
        K_fine = K.clone()
        K_fine[:, :2] = K_fine[:, :2] * ss
        fine = _trace(poses, K_fine, height * ss, width * ss, batch, prm, hook)[0]
        radiance = fine.reshape(V, height, ss, width, ss, 3).mean((2, 4)).reshape(V, height * width, 3)
    fwd = poses[:, None, :3, 2]
    depth = (t * (d * fwd).sum(-1)).clamp(max=max_depth)
    depth = torch.where(hit, depth, torch.full_like(depth, max_depth)).reshape(V, height, width)
    radiance = radiance.reshape(V, height, width, 3)
    labels = labels.reshape(V, height, width)
    k = torch.as_tensor([d.distortion if spec.camera else 0.0 for d in draws], dtype=torch.float32, device=dev)
    if bool((k > 0).any()):
        # the frame's focal length is the drawn field of view's; K's is the wider undistorted render's
        focal_out = torch.as_tensor([width / 2 / np.tan(d.hfov / 2) for d in draws], dtype=torch.float32, device=dev)
        scale = K[:, 0, 0] / focal_out
        radiance, labels, depth = warp(distortion_grid(k, scale, height, width, focal_out), radiance, labels, depth)
    return _sensor(radiance, prm, frame_ids, draws, spec.photometric, height, width), labels.to(torch.uint8), depth


def _sensor(radiance, prm, frame_ids, draws: List[Draw], photometric: bool, height: int, width: int):
    """The camera response of randomised views: radiance [V, H, W, 3] -> rgb uint8."""
    V, dev = radiance.shape[0], radiance.device
    val = lambda name: torch.as_tensor([getattr(d, name) for d in draws], dtype=torch.float32, device=dev)  # noqa: E731
    ys = (torch.arange(height, device=dev, dtype=torch.float32) + 0.5) / height - 0.5
    xs = (torch.arange(width, device=dev, dtype=torch.float32) + 0.5) / width - 0.5
    r2 = (ys[:, None] ** 2 + xs[None, :] ** 2) * 2
    exposure, vignette, wb = prm["exposure"], prm["vignette"], prm["white_balance"]
    if photometric:
        exposure, vignette = exposure * val("exposure"), val("vignette")
        wb = wb * torch.as_tensor(np.stack([d.white_balance for d in draws]), dtype=torch.float32, device=dev)
    radiance = radiance * (exposure[:, None, None] * (1 - vignette[:, None, None] * r2))[..., None]
    lin = (radiance * wb[:, None, None]).clamp(0, 1)
    if photometric:
        lin = torch.stack([blur(lin[v], blur_kernel(d.defocus * width, d.motion * width, d.motion_angle))
                           for v, d in enumerate(draws)])
    srgb = lin ** (1 / 2.2)
    sigma = prm["noise_sigma"]
    if photometric:
        srgb = tone(srgb, val("gamma"), val("contrast"))
        sigma = sigma + val("noise")
    noise = sensor_noise(frame_ids, prm["salt"], height * width).reshape(V, height, width, 3)
    rgb = ((srgb + noise * sigma[:, None, None, None]).clamp(0, 1) * 255 + 0.5).floor().to(torch.uint8)
    if photometric and any(d.jpeg_quality for d in draws):
        rgb = torch.stack([torch.as_tensor(jpeg(rgb[v].cpu().numpy(), d.jpeg_quality), device=dev)
                           if d.jpeg_quality else rgb[v] for v, d in enumerate(draws)])
    return rgb
