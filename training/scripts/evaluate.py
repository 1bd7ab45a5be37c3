#!/usr/bin/env python3
"""Evaluate a checkpoint or an export directory; writes eval.md and eval.json."""
import argparse
import json
import sys
from pathlib import Path

import _path  # noqa: F401


from mila.checkpoint import load_checkpoint
from mila.distributed import resolve_device
from mila.evaluate import evaluate, to_markdown
from mila.export import load_exported
from mila.threads import use_cpus
from mila.train import build_datasets


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="checkpoint.pt written by train.py")
    src.add_argument("--model-dir", help="export directory (model.safetensors + config.json)")
    p.add_argument("--out", required=True, help="directory for eval.md and eval.json")
    p.add_argument("--data", default="street", choices=("street", "street-cache", "cityscapes"))
    p.add_argument("--cache-dir", help="street-cache: a rendered-data cache folder (its held-out clips)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads (default: every CPU available)")
    p.add_argument("--train-seeds", default="0:1", help="street: only checked for overlap with --eval-seeds")
    p.add_argument("--eval-seeds", default="1000000:1000008")
    p.add_argument("--max-start-frame", type=int, default=0)
    p.add_argument("--cityscapes-root")
    p.add_argument("--cityscapes-train-split", default="train")
    p.add_argument("--cityscapes-eval-split", default="val")
    p.add_argument("--eval-ks", default="1,2,5,10")
    p.add_argument("--eval-frames", type=int, default=30)
    p.add_argument("--eval-batch-size", type=int, default=4)
    p.add_argument("--device", default="auto")
    p.add_argument("--amp", action=argparse.BooleanOptionalAction, default=True)
    args = p.parse_args()
    try:
        if not str(args.device).startswith("cuda"):
            print(f"threads: {use_cpus(args.threads)}", file=sys.stderr)
        device = resolve_device(args.device)
        model = load_checkpoint(args.checkpoint)[0] if args.checkpoint else load_exported(args.model_dir)[0]
        model.to(device)
        _, eval_data = build_datasets(args, model.config, device)
        table = evaluate(model, eval_data, [int(k) for k in args.eval_ks.split(",")], args.eval_frames,
                         args.eval_batch_size, device, args.amp and device.type == "cuda")
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval.json").write_text(json.dumps(table, indent=2) + "\n")
    (out / "eval.md").write_text(to_markdown(table))
    print(to_markdown(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
