"""Build a model from nothing with one command: cache, the three stages, held-out evaluation, export,
conversion into public/models/<model>/ and the model card.

    npm run train -- training/recipes/<name>.json [--init DIR|checkpoint.pt] [--threads N] [--no-ship]

The run folder is training/runs/<recipe name>/ (ignored by git). Everything is resumable: the cache
keeps finished units, training writes resume.pt every `checkpoint_every` seconds, and the same
command after a kill goes on where it stopped (--restart starts the training over)."""
import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import _path  # noqa: F401
from mila import train
from mila.real_footage import ensure_packages, hand_labelled_ids, load_manifest
from mila.recipe import load_recipe, train_flags
from mila.render_cache import build_cache
from mila.threads import available_cpus
from render_cache import DEFAULT_ROOT, spec_of

REPO = Path(_path.TRAINING_DIR).parent


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def gpu_name() -> str:
    import torch

    return f"{torch.cuda.get_device_name(0)} (CUDA {torch.version.cuda}, torch {torch.__version__}), {cpu_name()}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recipe")
    ap.add_argument("--out", help="run folder (default training/runs/<recipe name>)")
    ap.add_argument("--init", help="continue from a model: an export folder or a checkpoint.pt")
    ap.add_argument("--threads", type=int, help="CPU threads (default: the recipe's, else every available CPU)")
    ap.add_argument("--cache-root", default=DEFAULT_ROOT)
    ap.add_argument("--restart", action="store_true", help="start the training over (the cache is kept)")
    ap.add_argument("--no-ship", action="store_true", help="stop after training, evaluation and export")
    ap.add_argument("--model-dir", help="where to ship (default public/models/<recipe model>)")
    ap.add_argument("--time-budget", type=float, help="training seconds, instead of the recipe's (to fit a lent machine's window)")
    ap.add_argument("--device", help="training device instead of the recipe's (e.g. cpu to rehearse a GPU recipe here)")
    ap.add_argument("--render-device", default="auto", choices=("cpu", "cuda", "auto"),
                    help="where the cache renders (auto: the GPU of a GPU recipe, checked against the CPU render)")
    args = ap.parse_args(argv)
    try:
        recipe = load_recipe(args.recipe)
        spec = spec_of(recipe)
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    # command-line overrides land in the recipe itself, so recipe.json records what the run did
    for key, value in (("time_budget", args.time_budget), ("device", args.device)):
        if value is not None:
            recipe["train"][key] = value
    on_gpu = str(recipe["train"].get("device", "cpu")).startswith("cuda")
    if on_gpu:
        import torch

        if not torch.cuda.is_available():
            print(f"error: {args.recipe} trains on {recipe['train']['device']}, but torch sees no CUDA GPU here; "
                  f"--device cpu rehearses it on the CPU", file=sys.stderr)
            return 2
    init = args.init or recipe.get("init")  # a recipe that continues another model names it
    if init and not Path(init).exists():
        print(f"error: {init} does not exist: this recipe continues that model; build it first "
              f"(npm run train -- <its recipe>) or pass --init", file=sys.stderr)
        return 2
    out = Path(args.out or Path(_path.TRAINING_DIR) / "runs" / recipe["name"])
    out.mkdir(parents=True, exist_ok=True)
    threads = args.threads or recipe.get("threads") or available_cpus()
    hardware = gpu_name() if on_gpu else f"{cpu_name()}, {threads} of {os.cpu_count()} CPUs used, no GPU"
    # paths relative to the repository: the card that embeds this file must not name this machine's folders
    rel = lambda p: os.path.relpath(Path(p).resolve(), REPO)  # noqa: E731
    paths = {k: rel(recipe[k]) for k in ("config", "init") if recipe.get(k)}
    record = {**recipe, **paths, "hardware": hardware, "source": rel(args.recipe)}

    log = lambda e: print(json.dumps(e), file=sys.stderr, flush=True)  # noqa: E731
    flags = ["--out", str(out), "--threads", str(threads), "--eval-frames", str(spec.eval_frames),
             "--augment", json.dumps(recipe.get("augment") or {})]
    real = recipe.get("real_footage")  # checked before the cache renders: a missing package fails fast
    if real:
        try:
            manifest = load_manifest(real["manifest"])
            packages = manifest["packages"]
            root = ensure_packages(Path(args.cache_root).parent / "real-footage" / "debian", packages, log)
        except (ValueError, FileNotFoundError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        flags += ["--real-footage", real["manifest"], "--real-root", str(root),
                  "--real-share", str(real.get("share", 0.5)), "--pseudo-threshold", str(real.get("threshold", 0.0)),
                  "--pseudo-depth" if real.get("depth", True) else "--no-pseudo-depth"]
        record["real_footage"] = {**real, "manifest": rel(real["manifest"]), "packages": packages}
        if real.get("labels"):  # the model card counts them (train.py refuses a file no footage item has)
            folders = [real["labels"]] if isinstance(real["labels"], str) else real["labels"]
            flags += [f for folder in folders for f in ("--real-labels", folder)]
            flags += ["--real-labelled-share", str(real.get("labelled_share", 0.0))]
            record["real_footage"].update(labels=rel(real["labels"]) if isinstance(real["labels"], str) else
                                          [rel(f) for f in folders], hand_labelled=hand_labelled_ids(folders))
    if recipe["data"]["source"] == "street-cache":
        # "auto" renders on the GPU only for a GPU recipe; an explicit device is tried whatever the recipe
        render_on = "cpu" if args.render_device == "auto" and not on_gpu else args.render_device
        folder = build_cache(spec, Path(args.cache_root), threads, log, render_on)
        flags += ["--data", "street-cache", "--cache-dir", str(folder)]
        # the renderer's version names the data the run saw: a later renderer renders this recipe differently
        record["cache"] = {"key": folder.name, "renderer": json.loads((folder / "spec.json").read_text())["renderer"]}
    else:
        flags += ["--data", "street", "--eval-seeds", ",".join(str(s) for s in spec.eval_seeds)]
    (out / "recipe.json").write_text(json.dumps(record, indent=2) + "\n")
    flags += ["--init", init] if init else ["--config", recipe["config"]]
    flags += ["--model-name", recipe["model"]]  # also when the recipe continues a model of another name
    if args.restart:
        flags.append("--restart")
    code = train.main(flags + train_flags(recipe))
    if code != 0 or args.no_ship:
        return code
    model_dir = args.model_dir or str(REPO / "public" / "models" / recipe["model"])
    return subprocess.call(["bash", str(REPO / "scripts" / "ship-model.sh"), str(out), model_dir], cwd=REPO)


if __name__ == "__main__":
    sys.exit(main())
