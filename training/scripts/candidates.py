"""The candidate table of a recipe's model: each candidate width trains the slow net (pretrain-slow)
for the same CPU time on the recipe's cache, then is measured: held-out slow-only mIoU / accuracy /
depth Rel, parameters, GFLOPs, and browser ms per frame (slow-only and fast-only, wasm and WebGPU,
via `npm run eval` on the first frames of a bundled clip; weights do not change speed).

Usage: /usr/bin/python3 training/scripts/candidates.py RECIPE.json --widths 8,16,24 --seconds 240
          [--out training/runs/candidates] [--backends wasm,webgpu] [--browser-frames 10]
Writes OUT/candidates.md and OUT/candidates.json."""
import argparse
import json
import subprocess
import sys
from pathlib import Path

import _path  # noqa: F401
from mila import train
from mila.config import load_config
from mila.cost_model import cost_model
from mila.recipe import load_recipe, train_flags
from mila.render_cache import build_cache
from mila.threads import available_cpus
from render_cache import DEFAULT_ROOT, spec_of

REPO = Path(_path.TRAINING_DIR).parent


def candidate_config(base: dict, width: int, name: str) -> dict:
    """The recipe's architecture at base width `width`; feature/task/key channels scale with it."""
    c = json.loads(json.dumps(base))
    c["name"] = name
    c["slow"]["baseWidth"] = c["fast"]["baseWidth"] = width
    c["featureChannels"] = c["slow"]["aspp"]["channels"] = 4 * width
    c["taskChannels"] = c["ila"]["keyChannels"] = 2 * width
    return c


def browser_ms(export_dir: Path, work: Path, backend: str, frames: int) -> dict:
    model_dir = work / "tfjs"
    if not (model_dir / "model.json").exists():
        subprocess.run(["npm", "run", "-s", "convert", "--", str(export_dir), str(model_dir), "--quantize", "float16"],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["npm", "run", "-s", "eval", "--", "--model", str(model_dir), "--clip",
                          str(REPO / "public" / "samples" / "street-seed2"), "--k", "1", "--frames", str(frames),
                          "--backend", backend, "--json"], cwd=REPO, check=True, capture_output=True, text=True)
    rows = json.loads(out.stdout)["rows"]
    by_mode = {r["mode"]: r["msPerFrameMedian"] for r in rows}
    return {"slow": by_mode.get("mila"), "fast": by_mode.get("fast-only")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recipe")
    ap.add_argument("--widths", default="8,16,24")
    ap.add_argument("--seconds", type=float, default=240, help="pretrain-slow CPU time per candidate")
    ap.add_argument("--out", default=str(Path(_path.TRAINING_DIR) / "runs" / "candidates"))
    ap.add_argument("--backends", default="wasm,webgpu")
    ap.add_argument("--browser-frames", type=int, default=10)
    args = ap.parse_args(argv)
    recipe = load_recipe(args.recipe)
    spec = spec_of(recipe)
    threads = recipe.get("threads") or available_cpus()
    folder = build_cache(spec, Path(DEFAULT_ROOT), threads)
    base = json.loads(Path(recipe["config"]).read_text())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    done_file = out / "candidates.jsonl"  # one line per finished candidate: a rerun skips them
    done = {r["width"]: r for r in map(json.loads, done_file.read_text().splitlines())} if done_file.exists() else {}
    rows = []
    for width in [int(w) for w in args.widths.split(",")]:
        if width in done:
            rows.append(done[width])
            continue
        work = out / f"w{width}"
        work.mkdir(parents=True, exist_ok=True)
        cfg_path = work / "config.json"
        cfg_path.write_text(json.dumps(candidate_config(base, width, f"candidate-w{width}"), indent=2) + "\n")
        flags = [f for f in train_flags(recipe)]
        drop = {"--time-budget", "--stage-split", "--eval-ks"}
        kept, skip = [], False
        for f in flags:
            if skip:
                skip = False
                continue
            if f in drop:
                skip = True
                continue
            kept.append(f)
        if train.main(["--config", str(cfg_path), "--out", str(work / "run"), "--data", "street-cache",
                       "--cache-dir", str(folder), "--threads", str(threads), "--eval-frames", str(spec.eval_frames),
                       "--augment", json.dumps(recipe.get("augment") or {}), "--stages", "pretrain-slow",
                       "--time-budget", str(args.seconds), "--eval-ks", "1", "--checkpoint-every", "0", *kept]) != 0:
            return 1
        table = json.loads((work / "run" / "eval.json").read_text())
        slow = next(r for r in table["rows"] if r["mode"] == "slow-only")
        steps = json.loads((work / "run" / "summary.json").read_text())["stages"][0]["steps"]
        config = load_config(cfg_path)
        cost = cost_model(config)
        row = {"width": width, "outputStride": config.output_stride,
               "input": f"{config.input.height}x{config.input.width}",
               "feature": f"{config.input.height // config.output_stride}x{config.input.width // config.output_stride}",
               "steps": steps, "miou": slow["miou"], "pixelAccuracy": slow["pixelAccuracy"], "depthRel": slow["depthRel"],
               "gflopsSlow": cost.slow_gflops, "gflopsFast": cost.fast_gflops}
        for backend in args.backends.split(","):
            ms = browser_ms(work / "run" / "export", work, backend, args.browser_frames)
            row[f"{backend}SlowMs"], row[f"{backend}FastMs"] = ms["slow"], ms["fast"]
        rows.append(row)
        print(json.dumps(row), flush=True)
        with open(done_file, "a") as f:
            f.write(json.dumps(row) + "\n")
    (out / "candidates.json").write_text(json.dumps({"seconds": args.seconds, "threads": threads, "rows": rows}, indent=2) + "\n")
    backends = args.backends.split(",")
    head = ("| base width | input | OS | feature map | steps | slow-only mIoU | Acc | Rel | GFLOPs slow / fast | "
            + " | ".join(f"{b} ms slow / fast" for b in backends) + " |")
    lines = [f"Each candidate trained pretrain-slow for {args.seconds:.0f} s on {threads} CPU threads with the "
             f"recipe's settings (same cache, augmentation, lr and stride schedule), then was evaluated slow-only "
             f"on the held-out clips. Browser ms: median over the first {args.browser_frames} frames of street-seed2, "
             "float16 weights, headless Chromium on this machine; '-' = not measured.", "",
             head, "|" + "---|" * (9 + len(backends))]
    fmt = lambda v, d=1: "-" if v is None else f"{v:.{d}f}"  # noqa: E731 (- : not measured)
    for r in rows:
        lines.append(f"| {r['width']} | {r['input']} | {r['outputStride']} | {r['feature']} | {r['steps']} | "
                     f"{fmt(r['miou'])} | {fmt(r['pixelAccuracy'])} | {fmt(r['depthRel'], 3)} | "
                     f"{r['gflopsSlow']:.2f} / {r['gflopsFast']:.2f} | "
                     + " | ".join(f"{fmt(r.get(b + 'SlowMs'), 0)} / {fmt(r.get(b + 'FastMs'), 0)}" for b in backends) + " |")
    (out / "candidates.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
