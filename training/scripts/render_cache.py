"""Build (or complete) the rendered-data cache of a recipe, one process per available CPU.

Usage: /usr/bin/python3 training/scripts/render_cache.py RECIPE.json [--workers N] [--root DIR]
Prints the cache folder on stdout's last line; a rerun renders only what is missing."""
import argparse
import json
import os
import sys

import _path  # noqa: F401
from mila.config import load_config
from mila.recipe import load_recipe
from mila.render_cache import CacheSpec, build_cache
from mila.threads import available_cpus

DEFAULT_ROOT = os.path.join(_path.TRAINING_DIR, "runs", "cache")


def spec_of(recipe) -> CacheSpec:
    config = load_config(recipe["config"])
    return CacheSpec.from_json(recipe["data"], config.input.height, config.input.width, config.depth.max_depth)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recipe")
    ap.add_argument("--workers", type=int, default=None, help="render processes (default: available CPUs)")
    ap.add_argument("--root", default=str(DEFAULT_ROOT), help="cache root folder")
    ap.add_argument("--device", default="cpu", choices=("cpu", "cuda", "auto"),
                    help="render device: cuda (or auto, where torch sees one) after a check against the CPU render")
    args = ap.parse_args(argv)
    try:
        recipe = load_recipe(args.recipe)
        if recipe["data"]["source"] != "street-cache":
            print(f"{args.recipe} reads no cache (data.source {recipe['data']['source']}): nothing to render",
                  file=sys.stderr)
            return 0
        spec = spec_of(recipe)
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    folder = build_cache(spec, args.root, args.workers or available_cpus(),
                         lambda e: print(json.dumps(e), file=sys.stderr, flush=True), args.device)
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
