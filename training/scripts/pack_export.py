"""Packs an export (model.safetensors + config.json) for transfer: float16, split into files of at
most --max-bytes each, so it fits a channel with a per-file cap (the device's $OUT: 16 MiB a file).

The converter reads a directory of several .safetensors files (and F16) directly:
    npm run convert -- <packed dir> public/models/<id> --quantize float16
Usage: /usr/bin/python3 training/scripts/pack_export.py EXPORT_DIR OUT_DIR [--max-bytes N]
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import _path  # noqa: F401  (puts training/ on sys.path)
import torch

from mila.safetensors_io import load_safetensors, save_safetensors

HEADER_ALLOWANCE = 64 * 1024  # the JSON header of each part; generous for a few hundred names


def pack(export_dir: Path, out_dir: Path, max_bytes: int) -> list[Path]:
    source = export_dir / "model.safetensors"
    config = export_dir / "config.json"
    for required in (source, config):
        if not required.is_file():
            raise SystemExit(f"pack_export: missing {required}")
    tensors, metadata = load_safetensors(source)
    out_dir.mkdir(parents=True, exist_ok=True)
    budget = max_bytes - HEADER_ALLOWANCE
    parts: list[dict[str, torch.Tensor]] = [{}]
    used = 0
    for name, tensor in tensors.items():
        half = tensor.to(torch.float16) if tensor.is_floating_point() else tensor
        size = half.numel() * half.element_size()
        if size > budget:
            raise SystemExit(f"pack_export: tensor {name} ({size} bytes) is larger than one part ({budget} bytes)")
        if used + size > budget:
            parts.append({})
            used = 0
        parts[-1][name] = half
        used += size
    written = []
    for i, part in enumerate(parts, start=1):
        path = out_dir / f"model-{i:05d}-of-{len(parts):05d}.safetensors"
        save_safetensors(part, path, {**metadata, "packed": "float16"})
        if path.stat().st_size > max_bytes:
            raise SystemExit(f"pack_export: {path} is {path.stat().st_size} bytes, over {max_bytes}")
        written.append(path)
    shutil.copyfile(config, out_dir / "config.json")
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--max-bytes", type=int, default=15 * 1024 * 1024)
    args = parser.parse_args(argv)
    for path in pack(args.export_dir, args.out_dir, args.max_bytes):
        print(f"{path}: {path.stat().st_size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
