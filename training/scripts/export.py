#!/usr/bin/env python3
"""Export a training checkpoint to model.safetensors (fp32, BN unfolded) + config.json."""
import argparse
import sys

import _path  # noqa: F401

from mila.checkpoint import load_checkpoint
from mila.export import export_model


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--checkpoint", required=True, help="checkpoint.pt written by train.py")
    p.add_argument("--out", required=True, help="output directory")
    args = p.parse_args()
    try:
        model, stages = load_checkpoint(args.checkpoint)
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = export_model(model, args.out)
    print(f"exported {model.config.name} (stages done: {', '.join(stages) or 'none'}) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
