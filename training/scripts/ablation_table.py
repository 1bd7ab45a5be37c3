"""The model card's ablation section: a run's held-out evaluation beside an ablation run's.

    /usr/bin/python3 training/scripts/ablation_table.py RUN_DIR ABLATION_DIR [--what "without X"] > RUN_DIR/ablation.md

Both folders are `mila.train` outputs (eval.json, summary.json, recipe.json). The ablation must have
trained its MILA stage from the same state with the same budget (its recipe says so); the table shows
the MILA-stage steps and seconds of both so the reader can check that the budgets matched."""
import argparse
import json
import sys
from pathlib import Path

import _path  # noqa: F401

from mila.evaluate import METRIC_UNITS  # noqa: E402  (the evaluators' shared table keys, contract/)

METRICS = (("miou", "mIoU", 2), ("pixelAccuracy", "Acc", 2), ("depthAbs", "Abs (m)", 3), ("depthRel", "Rel", 3))
assert {m[0] for m in METRICS} == set(METRIC_UNITS), "ablation_table.py lists other metrics than mila.evaluate"


def _read(folder: Path, name: str) -> dict:
    path = folder / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: is {folder} a finished training run?")
    return json.loads(path.read_text())


def _mila_stage(summary: dict) -> dict:
    stages = [s for s in summary.get("stages", []) if s["stage"] == "mila"]
    if not stages:
        raise ValueError("the run has no MILA stage to compare")
    return stages[-1]


def ablation_markdown(run: Path, ablation: Path, what: str) -> str:
    main_eval, abl_eval = _read(run, "eval.json"), _read(ablation, "eval.json")
    main_stage, abl_stage = _mila_stage(_read(run, "summary.json")), _mila_stage(_read(ablation, "summary.json"))
    key = lambda r: (r["mode"], r["K"])  # noqa: E731
    abl_rows = {key(r): r for r in abl_eval["rows"]}
    lines = [
        f"The MILA stage trained twice from the same pre-trained state: as shipped, and {what} "
        f"(`{json.loads((ablation / 'recipe.json').read_text()).get('source', ablation.name)}`).",
        f"Shipped: {main_stage['steps']} steps in {main_stage['seconds']:.0f} s; "
        f"{what}: {abl_stage['steps']} steps in {abl_stage['seconds']:.0f} s. "
        f"Held-out clips, {main_eval['frames_per_clip']} frames each (training-time evaluator). "
        "Delta = shipped minus ablation; positive mIoU/Acc and negative Abs/Rel favour the shipped model.",
        "",
        "| mode | K | " + " | ".join(f"{label} shipped | {label} {what} | delta" for _, label, _ in METRICS) + " |",
        "|---|---:|" + "---:|---:|---:|" * len(METRICS),
    ]
    for row in main_eval["rows"]:
        other = abl_rows.get(key(row))
        if other is None or row["mode"] not in ("mila", "fast-only"):
            continue  # slow-only and reuse do not depend on the MILA stage when the slow net is frozen
        cells = []
        for name, _, digits in METRICS:
            cells += [f"{row[name]:.{digits}f}", f"{other[name]:.{digits}f}", f"{row[name] - other[name]:+.{digits}f}"]
        lines.append(f"| {row['mode']} | {row['K']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path)
    ap.add_argument("ablation", type=Path)
    ap.add_argument("--what", default="without the adversarial alignment")
    args = ap.parse_args(argv)
    try:
        sys.stdout.write(ablation_markdown(args.run, args.ablation, args.what))
    except (FileNotFoundError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
