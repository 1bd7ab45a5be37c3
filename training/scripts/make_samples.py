"""Regenerate the bundled evaluation clips under public/samples/ (held-out seeds only).

Usage (from training/): /usr/bin/python3 scripts/make_samples.py [--seeds 2 3] [--frames 300]
Writes public/samples/street-seed<N>/{clip.webm, labels/, depth/, manifest.json} and index.json (other
clips listed there, such as the real-footage one of make_real_clip.py, are kept), then checks the
frame count of every video and the 25 MB budget."""
import argparse
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mila.street import HELD_OUT_SEEDS  # noqa: E402
from mila.street.export import directory_bytes, write_clip  # noqa: E402
from mila.threads import use_cpus  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUDGET_BYTES = 25 * 1000 * 1000
RENDERED_PREFIX = "street-seed"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[2, 3])
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--fps", type=float, default=30.0)
    ap.add_argument("--depth-scale", type=float, default=100.0, help="depth PNG units per metre")
    ap.add_argument("--crf", type=int, default=18, help="VP9 quality (lower is better)")
    ap.add_argument("--out", default=os.path.join(REPO, "public", "samples"))
    ap.add_argument("--threads", type=int, default=None, help="CPU threads (default: every CPU available)")
    ap.add_argument("--index-only", action="store_true",
                    help="do not render: list the existing clips of --seeds in index.json and check the budget")
    args = ap.parse_args(argv)
    bad = [s for s in args.seeds if s not in HELD_OUT_SEEDS]
    if bad:
        ap.error(f"seeds {bad} are not held-out evaluation seeds ({HELD_OUT_SEEDS.start}..{HELD_OUT_SEEDS.stop - 1})")
    if args.frames < 1:
        ap.error("--frames must be positive")
    print(f"threads: {use_cpus(args.threads)}", file=sys.stderr)
    os.makedirs(args.out, exist_ok=True)
    clips = []
    for seed in args.seeds:
        clip_id = f"{RENDERED_PREFIX}{seed}"
        folder = os.path.join(args.out, clip_id)
        if args.index_only:
            if not os.path.isfile(os.path.join(folder, "manifest.json")):
                sys.exit(f"{folder} has no manifest.json: render it first")
            with open(os.path.join(folder, "manifest.json")) as fh:
                manifest = json.load(fh)
            clips.append({"id": clip_id, "name": manifest["name"], "frames": manifest["frames"]})
            continue
        shutil.rmtree(folder, ignore_errors=True)
        start = time.time()
        write_clip(folder, seed, args.frames, args.height, args.width, args.fps, depth_scale=args.depth_scale,
                   crf=args.crf, name=f"Rendered street (seed {seed})",
                   progress=lambda n: print(f"{clip_id}: {n}/{args.frames} frames, {time.time() - start:.0f} s",
                                            flush=True))
        clips.append({"id": clip_id, "name": f"Rendered street (seed {seed})", "frames": args.frames})
        print(f"{clip_id}: {directory_bytes(folder) / 1e6:.2f} MB", flush=True)
    index = os.path.join(args.out, "index.json")
    others = []
    if os.path.isfile(index):
        with open(index) as fh:
            others = [c for c in json.load(fh)["clips"] if not c["id"].startswith(RENDERED_PREFIX)]
    with open(index, "w") as fh:
        json.dump({"clips": clips + others}, fh, indent=2)
    total = sum(directory_bytes(os.path.join(args.out, c["id"])) for c in clips)
    print(f"total {total / 1e6:.2f} MB (budget {BUDGET_BYTES / 1e6:.0f} MB)")
    if total > BUDGET_BYTES:
        sys.exit(f"over budget: {total / 1e6:.2f} MB > {BUDGET_BYTES / 1e6:.0f} MB; raise --crf or lower --depth-scale")


if __name__ == "__main__":
    main()
