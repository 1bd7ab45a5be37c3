"""Renderer speed: frames per second at a given size, batch and device.

Usage (from training/): /usr/bin/python3 -m mila.street.bench [--device cuda] [--batch 8] [--frames 4] [--randomize]"""
import argparse
import time

import torch

from . import RandomizeSpec, render_clips
from .scene import build_scene


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--batch", type=int, default=1, help="clips (seeds) per call")
    ap.add_argument("--frames", type=int, default=4, help="frames per clip per call")
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1_000_000)
    ap.add_argument("--supersample", type=int, default=1)
    ap.add_argument("--randomize", action="store_true", help="domain-randomised worlds (mila.street.randomize)")
    args = ap.parse_args(argv)
    randomize = RandomizeSpec() if args.randomize else None
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        ap.error("--device cuda asked for, but torch sees no CUDA device")
    seeds = list(range(args.seed, args.seed + args.batch))
    t0 = time.perf_counter()
    for s in seeds:
        build_scene(s, args.randomize)
    print(f"scene build: {(time.perf_counter() - t0) / len(seeds) * 1000:.0f} ms per seed (cached afterwards)")
    sync = torch.cuda.synchronize if args.device.startswith("cuda") else (lambda: None)
    render_clips(seeds, 1, args.height, args.width, device=args.device, randomize=randomize)  # warm-up: device tables, kernels
    sync()
    wall, cpu = time.perf_counter(), time.process_time()
    for c in range(args.calls):
        render_clips(seeds, args.frames, args.height, args.width, device=args.device, start_frame=30 * (c + 1),
                     supersample=args.supersample, randomize=randomize)
    sync()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = args.calls * args.batch * args.frames
    kind = "randomised" if args.randomize else "plain"
    print(f"{n} {kind} frames {args.height}x{args.width} (supersample {args.supersample}) on {args.device}: {n / wall:.2f} frames/s wall, "
          f"{cpu / n:.2f} s process CPU time per frame ({torch.get_num_threads()} threads)")


if __name__ == "__main__":
    main()
