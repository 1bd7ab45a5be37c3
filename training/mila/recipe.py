"""Training recipes: versioned JSON files that hold every hyper-parameter of a shipped model.

A recipe names its model and architecture config, its data (the rendered-data cache), its
augmentation and the flags of `mila.train`; `"_base_": "<file>"` inherits another recipe (nested
objects merge, the child wins), as mmsegmentation's configs inherit `_base_` files. Paths are
relative to the recipe's own folder (`config`, `init` for a recipe that continues another model, and
`real_footage.manifest` and `real_footage.labels`). The CPU command (`npm run train -- <recipe>`) and
`training/scripts/device_run.sh` both read recipes: no hyper-parameter lives only in a shell script.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

REQUIRED = ("name", "model", "config", "data", "train")
# street-cache: rendered once on the CPU, read from disk; street: rendered on the fly on the training
# device (a GPU renders faster than it could read a cache of that size)
DATA_SOURCES = ("street-cache", "street")
# "init": the model a recipe continues (a run's export/ or a checkpoint), so a later recipe improves the
# default rather than starting over
# no "hardware": run_recipe writes the one the run used (train.device: cuda -> the GPU, else the CPU)
# "real_footage": real clips the MILA stage trains on through the slow net's pseudo-labels
# (mila.real_footage): the manifest, the share of MILA steps, the pseudo-label threshold, whether depth too;
# optionally a folder of hand-labelled photos ("labels") and the share of the slow net's pre-training
# frames drawn from them ("labelled_share")
REAL_FOOTAGE_KEYS = {"manifest", "share", "threshold", "depth", "labels", "labelled_share"}
KNOWN = set(REQUIRED) | {"_base_", "_comment", "threads", "augment", "description", "init", "real_footage"}


def _merge(base: Dict[str, Any], child: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(base)
    for k, v in child.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read(path: Path, seen: List[Path]) -> Dict[str, Any]:
    path = path.resolve()
    if path in seen:
        raise ValueError(f"recipe {path}: _base_ cycle through {[str(p) for p in seen]}")
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"recipe {path} does not exist") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"recipe {path}: not valid JSON ({e})") from None
    if not isinstance(data, dict):
        raise ValueError(f"recipe {path}: must be a JSON object")
    for key in ("config", "init"):
        if key in data:
            data[key] = str((path.parent / data[key]).resolve())
    if isinstance(data.get("real_footage"), dict):
        real = data["real_footage"]
        if "manifest" in real:
            real["manifest"] = str((path.parent / real["manifest"]).resolve())
        if isinstance(real.get("labels"), str):  # one labels folder, or a list of them
            real["labels"] = str((path.parent / real["labels"]).resolve())
        elif isinstance(real.get("labels"), list):
            real["labels"] = [str((path.parent / f).resolve()) for f in real["labels"]]
    base = data.pop("_base_", None)
    if base is None:
        return data
    return _merge(_read(path.parent / base, seen + [path]), data)


def load_recipe(path: str | Path) -> Dict[str, Any]:
    """The merged recipe; errors name the file and the key."""
    recipe = _read(Path(path), [])
    recipe.pop("_comment", None)
    missing = [k for k in REQUIRED if k not in recipe]
    if missing:
        raise ValueError(f"recipe {path}: missing {missing}")
    unknown = sorted(set(recipe) - KNOWN)
    if unknown:
        raise ValueError(f"recipe {path}: unknown keys {unknown} (known: {sorted(KNOWN)})")
    real = recipe.get("real_footage")
    if real is not None:
        if not isinstance(real, dict) or "manifest" not in real:
            raise ValueError(f"recipe {path}: real_footage must be an object with a manifest")
        if set(real) - REAL_FOOTAGE_KEYS:
            raise ValueError(f"recipe {path}: unknown real_footage keys {sorted(set(real) - REAL_FOOTAGE_KEYS)} "
                             f"(known: {sorted(REAL_FOOTAGE_KEYS)})")
    if recipe["data"].get("source") not in DATA_SOURCES:
        raise ValueError(f"recipe {path}: data.source must be one of {DATA_SOURCES}, got {recipe['data'].get('source')!r}")
    if not Path(recipe["config"]).is_file():
        raise FileNotFoundError(f"recipe {path}: config {recipe['config']} does not exist")
    return recipe


def train_flags(recipe: Dict[str, Any]) -> List[str]:
    """`recipe["train"]` as `mila.train` command-line flags (key a_b -> --a-b; true -> bare flag)."""
    flags: List[str] = []
    for key, value in recipe["train"].items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            flags.append(flag)
        elif value is False:
            flags.append("--no-" + key.replace("_", "-"))
        elif value is not None:
            flags += [flag, str(value)]
    return flags
