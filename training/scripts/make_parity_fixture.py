#!/usr/bin/python3
"""Writes the converter parity fixture (tests/fixtures/parity/): a tiny random MILA model exported by
the training code, five input frames, and the PyTorch outputs for the schedule
keyframe, fast, keyframe, fast, fast (the last two frames attend to two keyframes in memory).

    /usr/bin/python3 training/scripts/make_parity_fixture.py [--out tests/fixtures/parity] [--seed 0]

Layout of the output directory:
  checkpoint/model.safetensors, checkpoint/config.json   what `npm run convert` reads (export_model)
  frames.safetensors   frame.<i>.rgb U8 [H,W,3]; frame.<i>.segmentation F32 [1,H,W,N] logits;
                       frame.<i>.depth F32 [1,H,W,1] metres (NHWC, like the runtime)
  index.json           schedule and provenance

The reference runs in float64 on the exported float32 weights, so the parity test measures only the
runtime's error, not PyTorch's float32 rounding.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "training"))

from mila.config import parse_config  # noqa: E402
from mila.export import export_model  # noqa: E402
from mila.mila_model import MilaModel, normalize_rgb, push_memory  # noqa: E402
from mila.safetensors_io import save_safetensors  # noqa: E402

SCHEDULE = ["keyframe", "fast", "keyframe", "fast", "fast"]
CLASSES = ["road", "building", "vegetation", "sky", "car"]  # 5 classes keep the fixture small
COLORS = [[128, 64, 128], [70, 70, 70], [107, 142, 35], [70, 130, 180], [0, 0, 142]]


def fixture_config():
    """A tiny D101 (real block structure) / D18 model, TS + MF (M=2), window 5; self-contained so that
    edits to training/configs/ do not silently change the committed fixture."""
    data = {
        "format": "mila-web/1",
        "name": "parity-tiny",
        "input": {"height": 64, "width": 128, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
        "outputStride": 16,
        "featureChannels": 16,
        "taskChannels": 8,
        "slow": {"depth": 101, "baseWidth": 4, "aspp": {"channels": 16, "rates": [1, 2, 3]}},
        "fast": {"depth": 18, "baseWidth": 4, "aspp": None},
        "ila": {"window": 5, "keyChannels": 8, "memory": 2, "taskSpecific": True},
        "segmentation": {"classes": CLASSES, "colors": COLORS, "ignoreIndex": 255},
        # Depth in metres is maxDepth * sigmoid(raw): its float32 error grows with maxDepth (x25 at
        # 100 m). 10 m (an indoor, NYUv2-like range) keeps the 1e-4 parity bound meaningful for depth.
        "depth": {"maxDepth": 10.0},
    }
    return parse_config(data, "parity fixture config")


def render_frames(h: int, w: int, n: int, gen: torch.Generator) -> list[torch.Tensor]:
    """A smooth random scene panning right by 3 px per frame, plus a little noise: uint8 [H,W,3]."""
    coarse = torch.rand(1, 3, h // 8 + 2, (w + 3 * n) // 8 + 2, generator=gen)
    scene = F.interpolate(coarse, size=(h, w + 3 * n), mode="bilinear", align_corners=False)[0]
    frames = []
    for i in range(n):
        view = scene[:, :, 3 * i:3 * i + w] + 0.05 * torch.randn(3, h, w, generator=gen)
        frames.append((view.clamp(0, 1) * 255).round().to(torch.uint8).permute(1, 2, 0).contiguous())
    return frames


def residual_branch_ends(model: MilaModel) -> list[torch.nn.BatchNorm2d]:
    """The last BatchNorm of every residual block (bn3 of a Bottleneck, bn2 of a BasicBlock)."""
    ends = []
    for name, m in model.named_modules():
        if re.search(r"\.encoder\.layer\d+\.\d+$", name):
            ends.append(m.bn3 if hasattr(m, "bn3") else m.bn2)
    return ends


@torch.no_grad()
def calibrate_batchnorm(model: MilaModel, x: torch.Tensor, gen: torch.Generator) -> None:
    """Random but well-scaled BatchNorm: random affine terms, then running statistics measured on `x`
    (so a 101-layer random net keeps activations O(1) and outputs are not saturated), perturbed
    slightly. Every channel gets its own scale, so folding (and uint8 quantisation) is really exercised."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    branch_ends = {id(m) for m in residual_branch_ends(model)}
    for m in bns:
        n = m.num_features
        m.weight.copy_(0.5 + torch.rand(n, generator=gen))
        if id(m) in branch_ends:
            # Residual branches add ~10% to the stream (as in trained ResNets): a 101-layer random net
            # with full-size branches amplifies float32 rounding ~1000x, drowning the parity signal.
            m.weight.mul_(0.1)
        m.bias.copy_(0.2 * torch.randn(n, generator=gen))
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the calls below
    model.train()
    _, entry = model.run_keyframe(x)
    model.run_fast_frame(x, [entry])
    model.eval()
    for m in bns:
        n = m.num_features
        m.momentum = 0.1
        m.running_mean.add_(0.05 * m.running_var.sqrt() * torch.randn(n, generator=gen))
        m.running_var.mul_(torch.exp(0.1 * torch.randn(n, generator=gen)))


def nhwc(t: torch.Tensor) -> torch.Tensor:
    return t.permute(0, 2, 3, 1).contiguous().float()


@torch.no_grad()
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(REPO / "tests" / "fixtures" / "parity"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    config = fixture_config()
    model = MilaModel(config, with_discriminator=True)  # the discriminator must be dropped by the converter
    frames = render_frames(config.input.height, config.input.width, len(SCHEDULE), gen)
    calibrate_batchnorm(model, normalize_rgb(torch.stack(frames), config), gen)
    out = Path(args.out)
    export_model(model, out / "checkpoint")

    reference = model.double()  # float64 run of the exported float32 weights
    tensors: dict[str, torch.Tensor] = {}
    memory = []
    for i, (kind, rgb) in enumerate(zip(SCHEDULE, frames)):
        x = normalize_rgb(rgb.unsqueeze(0), config).double()
        if kind == "keyframe":
            outputs, entry = reference.run_keyframe(x)
            memory = push_memory(memory, entry, config.ila.memory)
        else:
            outputs = reference.run_fast_frame(x, memory)
        tensors[f"frame.{i}.rgb"] = rgb
        tensors[f"frame.{i}.segmentation"] = nhwc(outputs["segmentation"])
        tensors[f"frame.{i}.depth"] = nhwc(outputs["depth"])
        seg, dep = outputs["segmentation"], outputs["depth"]
        print(f"frame {i} {kind:8s} memory={len(memory)} logits [{seg.min():.3f}, {seg.max():.3f}] "
              f"depth [{dep.min():.3f}, {dep.max():.3f}] m")
    save_safetensors(tensors, out / "frames.safetensors", metadata={"schedule": ",".join(SCHEDULE)})
    index = {
        "about": "converter parity fixture; regenerate with: /usr/bin/python3 training/scripts/make_parity_fixture.py",
        "seed": args.seed,
        "torch": torch.__version__,
        "schedule": SCHEDULE,
        "frames": len(SCHEDULE),
        "reference": "float64 PyTorch on the exported float32 weights, eval mode",
    }
    (out / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {out} ({size / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
