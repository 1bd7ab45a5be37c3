"""The rendered-data cache: render the street video once, reuse it across runs, resumes and machines.

A cache is a folder keyed by the renderer's version (a hash of `mila/street/*.py`), the frame size,
the depth range and the seed lists, so a changed renderer or size never reads stale frames. It holds
one file per unit of work, so building is parallel (one process per CPU) and resumable (finished
units are kept), and a new cache takes the units it shares with a sibling cache (say, more clip seeds
on the same renderer) as hard links instead of rendering them again:
- `single-<seed>.npz`: `singles_per_seed` frames of one training seed spread over its drive
  (single-frame pre-training wants many distinct, uncorrelated frames);
- `clip-<seed>.npz`: `clip_frames` consecutive frames of one seed (the MILA stage trains on clips);
- `eval-<seed>.npz`: the first `eval_frames` frames of a held-out seed.
Training units (singles and clips, never eval) can be domain-randomised (`mila.street.randomize`):
the spec's `randomize` block says which fraction of them, chosen by a hash of the seed, and which
factor groups; the rest stay plain so the rendered-clip quality holds.
Arrays: rgb uint8 [T,H,W,3], labels uint8 [T,H,W] (Cityscapes train ids, 255 unlabelled),
depth float16 [T,H,W] metres (float16 keeps 11 bits: 0.05 m at 100 m, below the renderer's own
precision for the metrics; the training loss is on log depth).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing as mp
import random
import time
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from .progress import ProgressBar

STREET_DIR = Path(__file__).resolve().parent / "street"
FPS = 30.0


def renderer_version() -> str:
    """Hash of the renderer's source and textures: any change to them invalidates every cache."""
    h = hashlib.sha256()
    for f in sorted(STREET_DIR.glob("*.py")) + sorted(STREET_DIR.glob("textures/*.png")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class Randomization:
    """A recipe's data.randomize: the fraction of training units rendered randomised, and the
    factor groups they use (mila.street.RandomizeSpec)."""
    fraction: float
    camera: bool = True
    photometric: bool = True
    appearance: bool = True
    layouts: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.fraction, bool) or not isinstance(self.fraction, (int, float)) or not 0 <= self.fraction <= 1:
            raise ValueError(f"cache: randomize.fraction must be a number in [0, 1], got {self.fraction!r}")

    @staticmethod
    def from_json(d: Optional[Dict]) -> Optional["Randomization"]:
        if d is None:
            return None
        if not isinstance(d, dict) or "fraction" not in d:
            raise ValueError(f"cache: randomize must be an object with a fraction, got {d!r}")
        from .street import RandomizeSpec

        RandomizeSpec.from_json({k: v for k, v in d.items() if k != "fraction"})  # checks the group names
        d = dict(d)
        if isinstance(d["fraction"], int) and not isinstance(d["fraction"], bool):
            d["fraction"] = float(d["fraction"])  # 1 and 1.0 are one spec, one cache key
        return Randomization(**d)

    def factors(self):
        from .street import RandomizeSpec

        return RandomizeSpec(self.camera, self.photometric, self.appearance, self.layouts)


class UnitInputs(NamedTuple):
    frames: Tuple[int, ...]
    height: int
    width: int
    max_depth: float
    randomize: Optional[object]  # mila.street.RandomizeSpec, or None for a plain render


@dataclasses.dataclass(frozen=True)
class CacheSpec:
    height: int
    width: int
    train_seeds: Tuple[int, ...]        # singles come from all of them
    singles_per_seed: int
    clip_seeds: Tuple[int, ...]         # one clip each
    clip_frames: int
    eval_seeds: Tuple[int, ...]
    eval_frames: int
    max_depth: float = 100.0
    randomize: Optional[Randomization] = None

    def __post_init__(self) -> None:
        if set(self.train_seeds) & set(self.eval_seeds) or set(self.clip_seeds) & set(self.eval_seeds):
            raise ValueError("cache: training and evaluation seeds overlap; evaluation must be held out")
        for name in ("height", "width", "singles_per_seed", "clip_frames", "eval_frames"):
            if getattr(self, name) < 1:
                raise ValueError(f"cache: {name} must be >= 1, got {getattr(self, name)}")

    @staticmethod
    def from_json(d: Dict, height: int, width: int, max_depth: float) -> "CacheSpec":
        """From a recipe's "data" block: seeds as [first, count] ranges."""
        def seeds(key: str) -> Tuple[int, ...]:
            first, count = d[key]
            return tuple(range(int(first), int(first) + int(count)))
        return CacheSpec(height, width, seeds("train_seeds"), int(d["singles_per_seed"]), seeds("clip_seeds"),
                         int(d["clip_frames"]), tuple(int(s) for s in d["eval_seeds"]), int(d["eval_frames"]),
                         float(max_depth), Randomization.from_json(d.get("randomize")))

    @staticmethod
    def from_saved(d: Dict) -> "CacheSpec":
        """From a cache folder's spec.json (without its "renderer" entry)."""
        d = dict(d)
        d["randomize"] = Randomization.from_json(d.get("randomize"))
        return CacheSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})

    def is_randomized(self, kind: str, seed: int) -> bool:
        """Whether a unit is rendered randomised: training units only, a seed-hashed fraction of them."""
        if self.randomize is None or kind == "eval":
            return False
        return random.Random(seed * 31 + 7).random() < self.randomize.fraction

    def key(self) -> str:
        blob = json.dumps({"renderer": renderer_version(), **dataclasses.asdict(self)}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def single_frames(self, seed: int) -> List[int]:
        """Frame indices of a seed's singles: one per equal slice of the drive, jittered by the seed."""
        last = int(world_frames())
        rng = random.Random(seed)
        n = self.singles_per_seed
        return [min(last - 1, int((i + rng.random()) * last / n)) for i in range(n)]

    def clip_start(self, seed: int) -> int:
        return random.Random(seed * 7 + 1).randint(0, int(world_frames()) - self.clip_frames)

    def unit_inputs(self, kind: str, seed: int) -> "UnitInputs":
        """What a unit is rendered from besides its seed and the renderer: two specs of one renderer
        that agree here hold the same file for that unit."""
        randomize = self.randomize.factors() if self.is_randomized(kind, seed) else None
        return UnitInputs(tuple(self.frames_of(kind, seed)), self.height, self.width, self.max_depth, randomize)

    def units(self) -> List[Tuple[str, int]]:
        return ([("single", s) for s in self.train_seeds] + [("clip", s) for s in self.clip_seeds]
                + [("eval", s) for s in self.eval_seeds])

    def frames_of(self, kind: str, seed: int) -> List[int]:
        if kind == "single":
            return self.single_frames(seed)
        if kind == "clip":
            start = self.clip_start(seed)
            return list(range(start, start + self.clip_frames))
        return list(range(self.eval_frames))


def world_frames() -> int:
    from .street import WORLD_SECONDS

    return int(WORLD_SECONDS * FPS)


def _unit_path(folder: Path, kind: str, seed: int) -> Path:
    return folder / f"{kind}-{seed}.npz"


def render_unit(spec: CacheSpec, kind: str, seed: int, device: str = "cpu") -> Dict[str, np.ndarray]:
    from .street import render_frames

    u = spec.unit_inputs(kind, seed)
    clip = render_frames(seed, list(u.frames), u.height, u.width, FPS, device, u.max_depth, randomize=u.randomize)
    return {"rgb": clip.rgb[0].cpu().numpy(), "labels": clip.labels[0].cpu().numpy(),
            "depth": clip.depth[0].cpu().numpy().astype(np.float16)}


def agreement(a: Dict[str, np.ndarray], b: Dict[str, np.ndarray]) -> Dict[str, float]:
    """How closely two renders of one unit agree: the share of equal labels, the median relative depth
    difference where both have depth, and the mean absolute RGB difference (0-255)."""
    both = (a["depth"] > 0) & (b["depth"] > 0)
    da, db = a["depth"][both].astype(np.float32), b["depth"][both].astype(np.float32)
    return {"labels_equal": float((a["labels"] == b["labels"]).mean()),
            "depth_rel_median": float(np.median(np.abs(da - db) / db)) if both.any() else 0.0,
            "rgb_abs_mean": float(np.abs(a["rgb"].astype(np.int16) - b["rgb"].astype(np.int16)).mean())}


# an accelerator's render may differ from the CPU's in rounding (edges, noise), never in content
AGREEMENT_BOUNDS = {"labels_equal": 0.99, "depth_rel_median": 0.01, "rgb_abs_mean": 8.0}


def render_device(spec: CacheSpec, wanted: str, log: Callable[[dict], None] = lambda e: None) -> str:
    """The device to render the cache on. "auto" is CUDA where torch sees it. An accelerator is used only
    if one unit rendered there agrees with the CPU's render of it (AGREEMENT_BOUNDS) and, once warm,
    renders it faster than the CPU; else the CPU."""
    import torch

    if wanted == "auto":
        wanted = "cuda" if torch.cuda.is_available() else "cpu"
    if wanted == "cpu":
        return "cpu"
    kind, seed = spec.units()[0]
    try:
        first = render_unit(spec, kind, seed, wanted)  # also warms the device up
        t0 = time.perf_counter()
        render_unit(spec, kind, seed, wanted)
        t1 = time.perf_counter()
        reference = render_unit(spec, kind, seed, "cpu")
        t2 = time.perf_counter()
    except Exception as e:  # noqa: BLE001 - any failure there means: render on the CPU
        log({"event": "render-device", "device": "cpu", "tried": wanted, "error": f"{type(e).__name__}: {e}"})
        return "cpu"
    score = agreement(first, reference)
    agrees = (score["labels_equal"] >= AGREEMENT_BOUNDS["labels_equal"]
              and score["depth_rel_median"] <= AGREEMENT_BOUNDS["depth_rel_median"]
              and score["rgb_abs_mean"] <= AGREEMENT_BOUNDS["rgb_abs_mean"])
    device = wanted if agrees and t1 - t0 < t2 - t1 else "cpu"
    log({"event": "render-device", "device": device, "tried": wanted, "unit": f"{kind}-{seed}",
         "agreement_with_cpu": {k: round(v, 5) for k, v in score.items()},
         "seconds": {wanted: round(t1 - t0, 3), "cpu": round(t2 - t1, 3)}})
    return device


def _worker(job: Tuple[CacheSpec, str, str, int, str]) -> str:
    import torch

    torch.set_num_threads(1)  # one process per CPU: the renderer gains nothing from a second thread
    spec, folder, kind, seed, device = job
    path = _unit_path(Path(folder), kind, seed)
    arrays = render_unit(spec, kind, seed, device)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)  # uncompressed: loading is the hot path; rgb/labels barely compress
    tmp.replace(path)        # atomic: a killed build never leaves a half-written unit
    return path.name


def reuse_sibling_units(spec: CacheSpec, folder: Path, todo: List[Tuple[str, int]]) -> List[Tuple[str, int]]:
    """Link into `folder` the units of `todo` that a sibling cache of the same renderer already holds
    rendered from the same inputs (CacheSpec.unit_inputs); returns the units still to render."""
    siblings = []
    for other in sorted(folder.parent.glob("*/spec.json")):
        if other.parent == folder:
            continue
        try:
            saved = json.loads(other.read_text())
            if saved.pop("renderer", None) == renderer_version():
                siblings.append((other.parent, CacheSpec.from_saved(saved)))
        except (OSError, ValueError, TypeError):
            continue  # a half-written or foreign spec.json: not a cache to borrow from
    left = []
    for kind, seed in todo:
        wanted = spec.unit_inputs(kind, seed)
        source = next((_unit_path(f, kind, seed) for f, theirs in siblings
                       if _unit_path(f, kind, seed).exists() and theirs.unit_inputs(kind, seed) == wanted), None)
        if source is None:
            left.append((kind, seed))
            continue
        target = _unit_path(folder, kind, seed)
        try:
            target.hardlink_to(source)
        except OSError:  # another file system, or links not allowed: copy (atomically, as a render is written)
            tmp = target.with_suffix(".tmp.npz")
            tmp.write_bytes(source.read_bytes())
            tmp.replace(target)
    return left


def build_cache(spec: CacheSpec, root: Path, workers: int, log: Callable[[dict], None] = lambda e: None,
                device: str = "cpu") -> Path:
    """Render the units not yet in `root/<key>/`, `workers` processes at a time, on `device` ("cpu",
    "cuda" or "auto"; see render_device); returns the folder."""
    folder = Path(root) / spec.key()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spec.json").write_text(json.dumps({"renderer": renderer_version(), **dataclasses.asdict(spec)}) + "\n")
    missing = [(k, s) for k, s in spec.units() if not _unit_path(folder, k, s).exists()]
    todo = reuse_sibling_units(spec, folder, missing)
    total = len(spec.units())
    randomized = sum(spec.is_randomized(k, s) for k, s in spec.units())
    log({"event": "cache", "folder": str(folder), "units": total, "randomized": randomized,
         "reused": len(missing) - len(todo), "to_render": len(todo), "workers": workers})
    if todo:
        device = render_device(spec, device, log)
        bar = ProgressBar(len(todo), f"render cache ({device})")
        jobs = [(spec, str(folder), k, s, device) for k, s in todo]
        if workers <= 1:
            for job in jobs:
                _worker(job)
                bar.update()
        else:
            with mp.get_context("spawn").Pool(workers) as pool:
                for _ in pool.imap_unordered(_worker, jobs):
                    bar.update()
        bar.close()
    return folder


def load_units(folder: Path, units: Sequence[Tuple[str, int]]) -> Dict[str, np.ndarray]:
    """Stack units of equal frame counts: rgb [N,T,H,W,3], labels [N,T,H,W], depth float32 [N,T,H,W]."""
    parts: Dict[str, List[np.ndarray]] = {"rgb": [], "labels": [], "depth": []}
    for kind, seed in units:
        path = _unit_path(Path(folder), kind, seed)
        if not path.exists():
            raise FileNotFoundError(f"{path}: not in the cache; build it first (the recipe does)")
        with np.load(path) as z:
            for k in parts:
                parts[k].append(z[k])
    return {"rgb": np.stack(parts["rgb"]), "labels": np.stack(parts["labels"]),
            "depth": np.stack(parts["depth"]).astype(np.float32)}
