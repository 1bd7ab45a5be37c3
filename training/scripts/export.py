#!/usr/bin/env python3
"""Export a training checkpoint (or re-export an export folder) to model.safetensors (BN unfolded) + config.json.

    /usr/bin/python3 training/scripts/export.py --checkpoint RUN/checkpoint.pt --out DIR
    /usr/bin/python3 training/scripts/export.py --model-dir RUN/export --out training/exports/<model> --float16
The second form keeps a shipped model's training weights in git at half the size, so a later run on any
machine can continue it (a recipe's "init": "../exports/<model>")."""
import argparse
import sys

import _path  # noqa: F401
import torch

from mila.checkpoint import load_checkpoint
from mila.export import export_model, load_exported


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="checkpoint.pt written by train.py")
    source.add_argument("--model-dir", help="an export folder (config.json + model.safetensors)")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--float16", action="store_true", help="store the weights as float16 (half the size)")
    args = p.parse_args()
    try:
        if args.checkpoint:
            model, stages = load_checkpoint(args.checkpoint)
            what = f"stages done: {', '.join(stages) or 'none'}"
        else:
            model, _ = load_exported(args.model_dir)
            what = f"from {args.model_dir}"
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = export_model(model, args.out, torch.float16 if args.float16 else torch.float32)
    print(f"exported {model.config.name} ({what}) to {out}{' as float16' if args.float16 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
