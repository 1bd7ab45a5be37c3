"""Contact sheet of rendered street clips: one row per (seed, frame) with RGB, classes and depth.

Usage (from training/): /usr/bin/python3 scripts/contact_sheet.py --seeds 1 2 --frames 0 150 299 \
    --out ../docs/contact-sheet.png
--randomize renders the seeds' domain-randomised worlds (training seeds only, mila.street.randomize)."""
import argparse
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mila.street import HELD_OUT_SEEDS, RandomizeSpec, render_clips  # noqa: E402
from mila.street.visualize import colorize_depth, colorize_labels  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", required=True)
    ap.add_argument("--frames", type=int, nargs="+", required=True)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--fps", type=float, default=30.0)
    ap.add_argument("--max-depth", type=float, default=100.0)
    ap.add_argument("--scale", type=float, default=0.5, help="size of each tile relative to the render")
    ap.add_argument("--randomize", action="store_true", help="domain-randomised worlds (every factor group)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    if args.randomize and any(s in HELD_OUT_SEEDS for s in args.seeds):
        ap.error("--randomize is for training seeds; evaluation seeds are only ever rendered plain")
    randomize = RandomizeSpec() if args.randomize else None
    tiles = []
    for seed in args.seeds:
        for f in args.frames:
            clip = render_clips([seed], 1, args.height, args.width, args.fps, max_depth=args.max_depth, start_frame=f,
                                randomize=randomize)
            row = [clip.rgb[0, 0].numpy(), colorize_labels(clip.labels[0, 0].numpy()),
                   colorize_depth(clip.depth[0, 0].numpy(), args.max_depth)]
            img = Image.fromarray(np.concatenate(row, 1))
            if args.scale != 1:
                img = img.resize((int(img.width * args.scale), int(img.height * args.scale)), Image.BILINEAR)
            ImageDraw.Draw(img).text((4, 2), f"seed {seed} frame {f}", fill=(255, 255, 0))
            tiles.append(np.asarray(img))
            print(f"seed {seed} frame {f}", flush=True)
    sheet = np.concatenate(tiles, 0)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    Image.fromarray(sheet).save(args.out, optimize=True)
    print(f"wrote {args.out} ({sheet.shape[1]}x{sheet.shape[0]})")


if __name__ == "__main__":
    main()
