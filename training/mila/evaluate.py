"""Dataset-level evaluation per keyframe interval K and per offset from the keyframe.

Modes (rows of the table):
- `slow-only`: the slow net on every frame (K = 1).
- `fast-only`: the fast net + shared decoders on every frame, no ILA (the runtime's fast-only mode).
- `mila` (K > 1): slow net on keyframes, fast net + ILA against the last M keyframes between.
- `reuse` (K > 1): naive reuse, the keyframe's outputs copied to the following frames.
- any extra single-frame net passed in `extra_nets` (e.g. the D18-MultiTask of pre-training).
Metrics come from `mila.metrics` (the project's normative implementation).
"""
from __future__ import annotations

import math
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import torch

from .cost_model import cost_model
from .data import ClipDataset
from .metrics import ConfusionMatrix, DepthErrors
from .mila_model import KeyframeMemoryEntry, MilaModel, normalize_rgb, push_memory
from .scheduler import check_interval, keyframe_schedule
from .steps import autocast_for

Outputs = Dict[str, torch.Tensor]
METRIC_UNITS = {"miou": "%", "pixelAccuracy": "%", "depthAbs": "m", "depthRel": "fraction"}


class Accumulator:
    def __init__(self, num_classes: int, ignore_index: int, max_depth: float):
        self.confusion = ConfusionMatrix(num_classes, ignore_index)
        self.depth = DepthErrors(max_depth)  # gt at max_depth (sky / no return) is not counted
        self.frames = 0

    def update(self, labels_pred: torch.Tensor, depth_pred: torch.Tensor, labels_gt: torch.Tensor,
               depth_gt: torch.Tensor) -> None:
        self.confusion.update(labels_pred.cpu(), labels_gt.cpu())
        self.depth.update(depth_pred.float().cpu(), depth_gt.float().cpu())
        self.frames += int(labels_gt.shape[0])

    def summary(self) -> Dict[str, float]:
        def clean(v: float) -> Optional[float]:
            return None if math.isnan(v) else round(v, 4)

        # key names: contract/fixtures/eval-table-keys.json, the same as src/eval/table.ts
        return {"miou": clean(self.confusion.miou()), "pixelAccuracy": clean(self.confusion.pixel_accuracy()),
                "depthAbs": clean(self.depth.abs()), "depthRel": clean(self.depth.rel()), "frames": self.frames}


def _predictions(out: Outputs) -> Tuple[torch.Tensor, torch.Tensor]:
    """(labels [B,H,W] int64, depth [B,H,W] float32) from model outputs."""
    return out["segmentation"].argmax(1), out["depth"][:, 0].float()


@torch.no_grad()
def evaluate(model: MilaModel, dataset: ClipDataset, ks: Sequence[int], num_frames: int, batch_size: int,
             device: torch.device, amp: bool = False,
             extra_nets: Optional[Dict[str, Callable[[torch.Tensor], Outputs]]] = None) -> Dict:
    """Returns {"rows": [...], ...}; every row has overall metrics and, for mila/reuse, `per_offset`."""
    ks = sorted(set(check_interval(int(k)) for k in ks))
    if not ks:
        raise ValueError("evaluation needs at least one keyframe interval K")
    if max(ks) > num_frames:
        raise ValueError(f"eval clips of {num_frames} frames cannot show K = {max(ks)}; use more frames")
    cfg = model.config
    n, ignore = cfg.segmentation.num_classes, cfg.segmentation.ignore_index
    # The rendered gt stores sky / no return at the max depth it was rendered with, which the trainer
    # sets to the model's (train.build_datasets); depth metrics skip gt at or beyond it.
    max_depth = cfg.depth.max_depth
    acc: Dict[Tuple[str, int, Optional[int]], Accumulator] = {}

    def add(mode: str, k: int, offset: Optional[int], pred: Tuple[torch.Tensor, torch.Tensor],
            gt_labels: torch.Tensor, gt_depth: torch.Tensor) -> None:
        for key in ((mode, k, None), (mode, k, offset)) if offset is not None else ((mode, k, None),):
            acc.setdefault(key, Accumulator(n, ignore, max_depth)).update(pred[0], pred[1], gt_labels, gt_depth)

    extra_nets = extra_nets or {}
    model.eval()
    clips = 0
    for batch in dataset.eval_batches(num_frames, batch_size):
        batch = batch.to(device)
        clips += int(batch.rgb.shape[0])
        t_total = batch.num_frames
        has_gt = batch.frame_has_ground_truth(ignore).tolist()
        size = (int(batch.rgb.shape[2]), int(batch.rgb.shape[3]))
        slow_pred: List[Tuple[torch.Tensor, torch.Tensor]] = []
        entries: List[KeyframeMemoryEntry] = []
        fast_feats: List[Optional[torch.Tensor]] = []
        with autocast_for(device, amp):
            # every frame may be a keyframe for some K and phase: run the slow net once per frame
            for i in range(t_total):
                x = normalize_rgb(batch.rgb[:, i], cfg)
                out, entry = model.run_keyframe(x)
                slow_pred.append(_predictions(out))
                entries.append(entry)
                fast_feats.append(model.fast(x) if has_gt[i] else None)
                if has_gt[i]:
                    gl, gd = batch.labels[:, i], batch.depth[:, i]
                    add("slow-only", 1, None, slow_pred[i], gl, gd)
                    add("fast-only", 1, None, _predictions(model.decode(fast_feats[i], size)), gl, gd)
                    for name, net in extra_nets.items():
                        add(name, 1, None, _predictions(net(x)), gl, gd)
            for k in ks:
                if k == 1:
                    continue
                phases = [0] if dataset.dense_labels else range(k)
                for phase in phases:
                    memory: List[KeyframeMemoryEntry] = []
                    key_index = phase
                    for i, offset in keyframe_schedule(t_total, k, phase):
                        if offset == 0:
                            memory = push_memory(memory, entries[i], cfg.ila.memory)
                            key_index = i
                        if not has_gt[i]:
                            continue
                        gl, gd = batch.labels[:, i], batch.depth[:, i]
                        if offset == 0:
                            pred = slow_pred[i]
                        else:
                            pred = _predictions(model.fast_frame_from_feature(fast_feats[i], memory, size))
                        add("mila", k, offset, pred, gl, gd)
                        add("reuse", k, offset, slow_pred[key_index], gl, gd)
    if clips == 0:
        raise ValueError("the evaluation dataset yielded no clips")
    return _table(acc, ks, cfg, clips, num_frames, list(extra_nets))


def _table(acc, ks, cfg, clips, num_frames, extra_names) -> Dict:
    cost = cost_model(cfg)
    rows = []

    def row(mode: str, k: int, gflops: float, label: Optional[str] = None) -> None:
        if (mode, k, None) not in acc:
            return
        r = {"mode": label or mode, "K": k, **acc[(mode, k, None)].summary(), "gflops": float(f"{gflops:.4g}"),
             "classes": [{key: (round(v, 4) if isinstance(v, float) else v) for key, v in c.items()}
                         for c in acc[(mode, k, None)].confusion.class_breakdown()]}
        offsets = sorted(o for (m, kk, o) in acc if m == mode and kk == k and o is not None)
        if offsets:
            r["per_offset"] = [{"offset": o, **acc[(mode, k, o)].summary()} for o in offsets]
        rows.append(r)

    row("slow-only", 1, cost.slow_gflops)
    row("fast-only", 1, cost.fast_only_gflops)
    for name in extra_names:
        row(name, 1, cost.fast_only_gflops)
    for k in ks:
        if k > 1:
            row("mila", k, cost.average_gflops(k))
            row("reuse", k, cost.slow_gflops / k)
    return {"model": cfg.name, "classes": list(cfg.segmentation.classes), "clips": clips,
            "frames_per_clip": num_frames, "ks": list(ks),
            "metrics": {**METRIC_UNITS, "gflops": "per frame, average"},
            "rows": rows}


def _fmt(v, digits: int) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


def to_markdown(result: Dict) -> str:
    lines = [f"# Evaluation: {result['model']}", "",
             f"{result['clips']} clips x {result['frames_per_clip']} frames; dataset-level metrics "
             "(mIoU and pixel accuracy in %, depth Abs in metres, Rel as a fraction; GFLOPs per frame).", "",
             "| mode | K | mIoU | Acc | Abs (m) | Rel | GFLOPs/frame | frames |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in result["rows"]:
        lines.append(f"| {r['mode']} | {r['K']} | {_fmt(r['miou'], 2)} | {_fmt(r['pixelAccuracy'], 2)} | "
                     f"{_fmt(r['depthAbs'], 3)} | {_fmt(r['depthRel'], 3)} | {r['gflops']:.3g} | {r['frames']} |")
    per = [r for r in result["rows"] if "per_offset" in r]
    if per:
        lines += ["", "## Per offset from the keyframe (mIoU / Abs)", ""]
        max_off = max(len(r["per_offset"]) for r in per)
        lines.append("| mode | K | " + " | ".join(f"+{o}" for o in range(max_off)) + " |")
        lines.append("|---|---:|" + "---:|" * max_off)
        for r in per:
            cells = {p["offset"]: f"{_fmt(p['miou'], 1)} / {_fmt(p['depthAbs'], 2)}" for p in r["per_offset"]}
            lines.append(f"| {r['mode']} | {r['K']} | " + " | ".join(cells.get(o, "") for o in range(max_off)) + " |")
    lines += _class_table(result)
    return "\n".join(lines) + "\n"


def _class_table(result: Dict) -> List[str]:
    """Per ground-truth class: its share, IoU in every row, and what MILA at K=5 (the page's default;
    else the first row) drew it as."""
    rows = [r for r in result["rows"] if r.get("classes")]
    if not rows:
        return []
    names = result.get("classes") or []
    name = lambda i: names[i] if i < len(names) else f"class {i}"  # noqa: E731
    reference = next((r for r in rows if r["mode"] == "mila" and r["K"] == 5), rows[0])
    by_class = [{c["classId"]: c for c in r["classes"]} for r in rows]
    lines = ["", f"## Per class (IoU %; share of labelled pixels; what {reference['mode']} K={reference['K']} drew it as)", "",
             "| class | share % | " + " | ".join(f"{r['mode']} K={r['K']}" for r in rows) + " | most often drawn as |",
             "|---|---:|" + "---:|" * len(rows) + "---|"]
    for c in sorted(reference["classes"], key=lambda c: -c["gtShare"]):
        i = c["classId"]
        drawn = "itself" if c["mostPredictedAs"] == i else name(c["mostPredictedAs"])
        lines.append(f"| {name(i)} | {c['gtShare']:.1f} | "
                     + " | ".join(_fmt(b[i]["iou"] if i in b else None, 1) for b in by_class)
                     + f" | {drawn} ({c['mostPredictedShare']:.0f}%) |")
    return lines
