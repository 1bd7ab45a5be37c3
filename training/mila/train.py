"""The staged MILA training schedule, then evaluation and export, in one command.

    python -m mila.train --config configs/tiny.json --out runs/x --time-budget 60     (from training/)
    torchrun --nproc_per_node=N -m mila.train ...                                    (multi-GPU, DDP)

Stages (run in order, each optional): pretrain-slow, pretrain-fast, mila; see training/README.md.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import random
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import torch
from torch import nn

from .augment import AugmentSpec, augment_batch
from .checkpoint import load_checkpoint, save_checkpoint
from .config import TASKS, ModelConfig, load_config
from .data import CachedStreetDataset, ClipBatch, ClipDataset, ClipPool, RenderedStreetDataset, parse_seed_range, seeds_overlap
from .decoders import TaskDecoder
from .distributed import DistContext, any_rank, barrier, init_distributed, shutdown
from .evaluate import evaluate, to_markdown
from .export import export_model
from .losses import CLASS_WEIGHTINGS, DEPTH_LOSSES, WEIGHTINGS, class_balanced_weights, make_weighting
from .mila_model import MilaModel
from .progress import ProgressBar
from .pseudo_labels import pseudo_label
from .real_footage import RealFootageDataset, load_items
from .resume import RESUME_FILE, StageProgress, TrainState, load_state, save_state
from .threads import use_cpus
from .scheduler import sample_clip_plan
from .steps import MilaClipStep, SingleFrameNet, SingleFrameStep, TaskLosses

STAGES = ("pretrain-slow", "pretrain-fast", "mila")
# MILA-stage freeze policies: which top-level parts of the model do not train
FREEZE_POLICIES = {"none": (), "slow": ("slow",), "slow+decoders": ("slow", "decoders"), "slow+fast": ("slow", "fast"),
                   "slow+fast+decoders": ("slow", "fast", "decoders")}



@dataclasses.dataclass
class StageResult:
    stage: str
    steps: int
    seconds: float
    first_loss: Optional[float]
    last_loss: Optional[float]
    losses: List[float]                 # total loss per step
    task_losses: List[Dict[str, float]]  # per step: each task's loss (and the adversarial loss)


def split_budget(total: Optional[float], stages: Sequence[str], fractions: Sequence[float]) -> Dict[str, Optional[float]]:
    """Seconds per selected stage, proportional to its fraction (fractions given for all STAGES)."""
    if total is None:
        return {s: None for s in stages}
    weights = {s: fractions[STAGES.index(s)] for s in stages}
    norm = sum(weights.values())
    if norm <= 0:
        raise ValueError(f"stage split {list(fractions)} gives the selected stages no time")
    return {s: total * w / norm for s, w in weights.items()}


def run_stage(name: str, step_module: nn.Module, params: List[nn.Parameter], sample: Callable[[], tuple],
              budget_s: Optional[float], max_steps: Optional[int], args, ctx: DistContext,
              log: Callable[[dict], None], progress: Optional[StageProgress] = None,
              checkpoint: Callable[[StageProgress], None] = lambda p: None,
              before_step: Callable[[float], None] = lambda fraction: None) -> StageResult:
    """Adam, lr `args.lr`, x0.1 once `lr_decay_at` of the stage's time (or steps) has passed (the seed's step decay).

    `progress` (from a resume state) restores the optimiser, step, elapsed time and loss history;
    `checkpoint` is called with the current progress every `args.checkpoint_every` seconds;
    `before_step` gets the fraction of the stage done (time or steps) before every step."""
    if budget_s is None and max_steps is None:
        raise ValueError("a stage needs a time budget or a step limit")
    progress = progress or StageProgress(name)
    opt = torch.optim.Adam(params, lr=args.lr)
    if progress.optimizer is not None:
        opt.load_state_dict(progress.optimizer)  # its param groups carry the (possibly decayed) lr
    module = step_module
    if ctx.enabled:
        module = nn.parallel.DistributedDataParallel(
            step_module, device_ids=[ctx.device.index] if ctx.device.type == "cuda" else None,
            find_unused_parameters=True)
    weighting = step_module.weighting
    losses: List[float] = list(progress.losses)
    task_history: List[Dict[str, float]] = list(progress.task_losses)
    decayed = progress.decayed
    step = progress.step
    t0 = time.time() - progress.elapsed
    last_save = time.time()
    bar = ProgressBar(budget_s if budget_s is not None else max_steps, name,
                      start=progress.elapsed if budget_s is not None else progress.step) if ctx.is_main else None

    def snapshot() -> StageProgress:
        return StageProgress(name, step, time.time() - t0, decayed, opt.state_dict(),
                             {k: v.detach().cpu().clone() for k, v in step_module.state_dict().items()},
                             losses, task_history)

    while True:
        elapsed = time.time() - t0
        done = (max_steps is not None and step >= max_steps) or (budget_s is not None and elapsed >= budget_s)
        if any_rank(done, ctx):
            break
        late = (budget_s is not None and elapsed >= args.lr_decay_at * budget_s) or \
               (max_steps is not None and step >= args.lr_decay_at * max_steps)
        if late and not decayed:
            for g in opt.param_groups:
                g["lr"] *= 0.1
            decayed = True
        before_step(elapsed / budget_s if budget_s is not None else step / max_steps)
        inputs = sample()
        total, logs = module(*inputs, args.amp)
        opt.zero_grad(set_to_none=True)
        total.backward()
        opt.step()
        step += 1
        losses.append(float(total.detach()))
        task_history.append(logs)
        if step % args.dwa_period == 0:
            weighting.end_period()
        if ctx.is_main and (step == 1 or step % args.log_every == 0):
            log({"stage": name, "step": step, "t": round(time.time() - t0, 2), "loss": round(losses[-1], 5),
                 **{k: round(v, 5) for k, v in logs.items()},
                 "weights": {k: round(v, 4) for k, v in weighting.weights().items()},
                 "lr": opt.param_groups[0]["lr"]})
        if bar is not None:
            bar.update(absolute=time.time() - t0 if budget_s is not None else step)
        if ctx.is_main and args.checkpoint_every > 0 and time.time() - last_save >= args.checkpoint_every:
            checkpoint(snapshot())
            last_save = time.time()
            log({"event": "checkpoint", "stage": name, "step": step, "t": round(time.time() - t0, 2)})
    if bar is not None:
        bar.close()
    head = losses[: max(1, len(losses) // 10)]
    tail = losses[-max(1, len(losses) // 10):]
    return StageResult(name, step, round(time.time() - t0, 2), sum(head) / len(head) if losses else None,
                       sum(tail) / len(tail) if losses else None, losses, task_history)


def _set_trainable(model: MilaModel, frozen_parts: Sequence[str]) -> List[nn.Parameter]:
    params = []
    for name, p in model.named_parameters():
        p.requires_grad_(name.split(".")[0] not in frozen_parts)
        if p.requires_grad:
            params.append(p)
    model.train()
    for part in frozen_parts:
        getattr(model, part).eval()  # frozen BN keeps its running statistics
    return params


def fresh_decoders(config: ModelConfig) -> nn.ModuleDict:
    c, t = config.feature_channels, config.task_channels
    return nn.ModuleDict({"segmentation": TaskDecoder(c, t, config.segmentation.num_classes),
                          "depth": TaskDecoder(c, t, 1)})


def build_datasets(args, config: ModelConfig, device: torch.device, rng: Optional[random.Random] = None,
                   randomized_share: Optional[float] = None) -> Tuple[ClipDataset, ClipDataset]:
    """(training data, held-out evaluation data). Street training clips come from a refreshed `ClipPool`
    when `--pool-clips` > 0 (rendering is slower than a step on the CPU)."""
    h, w = config.input.height, config.input.width
    n = config.segmentation.num_classes
    if args.data == "street-cache":
        spec = cache_spec_of(args.cache_dir)
        if (spec.height, spec.width) != (h, w):
            raise ValueError(f"cache {args.cache_dir} holds {spec.height}x{spec.width} frames; the model takes {h}x{w}")
        data = CachedStreetDataset(args.cache_dir, spec, num_classes=n, randomized_share=randomized_share)
        return data, data
    if randomized_share is not None:
        raise ValueError(f"--randomized-share draws from a cache's randomised units; --data {args.data} has none (use street-cache)")
    if args.data == "street":
        train = RenderedStreetDataset(parse_seed_range(args.train_seeds), h, w, str(device),
                                      max_start_frame=args.max_start_frame,
                                      max_depth=config.depth.max_depth, num_classes=n)
        evald = RenderedStreetDataset(parse_seed_range(args.eval_seeds), h, w, str(device),
                                      max_depth=config.depth.max_depth, num_classes=n)
        overlap = seeds_overlap(train.seeds, evald.seeds)
        if overlap:
            raise ValueError(f"train and eval seeds overlap (e.g. {overlap}); evaluation must be held out")
        if rng is not None and getattr(args, "pool_clips", 0) > 0:
            frames = max(args.pool_frames or 0, config.ila.memory * args.k_max)
            train = ClipPool(train, args.pool_clips, frames, rng, args.pool_refresh_every, args.pool_refresh_clips)
        return train, evald
    from .cityscapes import CityscapesSequenceDataset

    if not args.cityscapes_root:
        raise ValueError("--data cityscapes needs --cityscapes-root")
    return (CityscapesSequenceDataset(args.cityscapes_root, args.cityscapes_train_split, h, w),
            CityscapesSequenceDataset(args.cityscapes_root, args.cityscapes_eval_split, h, w))


def stride_schedule(encoder, coarse: int, final: int, fine_tail: float, stage: str,
                    log: Callable[[dict], None]) -> Callable[[float], None]:
    """Pre-train at the cheaper output stride `coarse`, then the last `fine_tail` of the stage at the
    model's own stride `final`, so its dilated layers and BN statistics adapt before the MILA stage."""
    def before_step(fraction: float) -> None:
        target = coarse if fraction < 1.0 - fine_tail else final
        if encoder.output_stride != target:
            encoder.set_output_stride(target)
            log({"event": "output-stride", "stage": stage, "output_stride": target, "fraction": round(fraction, 3)})
    return before_step


def load_init(path: str) -> Tuple[MilaModel, ModelConfig]:
    """A model to continue training: a checkpoint.pt, or an export folder (config.json + safetensors,
    e.g. a run's `export/`, the source of a shipped model) with a fresh discriminator."""
    from .export import load_exported

    if Path(path).is_dir():
        exported, config = load_exported(path)
        model = MilaModel(config, with_discriminator=True)
        model.load_state_dict(exported.state_dict(), strict=False)  # the discriminator stays fresh
        return model, config
    model, _ = load_checkpoint(path)
    return model, model.config


def build_real_footage(args, config: ModelConfig, stages: Sequence[str]) -> Optional[RealFootageDataset]:
    """The real footage (`--real-footage`) the MILA stage mixes in through pseudo-labels, and whose
    hand-labelled photos (`--real-labels`) a `--real-labelled-share` of each pre-training batch of the
    slow net draws; or None."""
    if not args.real_footage:
        if args.real_labels or args.real_labelled_share:
            raise ValueError("--real-labels and --real-labelled-share need --real-footage, the manifest of the photos")
        return None
    if not 0.0 < args.real_share <= 1.0:
        raise ValueError(f"--real-share must be in (0, 1], got {args.real_share}")
    if not 0.0 <= args.real_labelled_share < 1.0:
        raise ValueError(f"--real-labelled-share must be in [0, 1), got {args.real_labelled_share}")
    if args.real_labelled_share and not args.real_labels:
        raise ValueError("--real-labelled-share needs --real-labels, the folder of hand-labelled polygons")
    if args.real_labelled_share and "pretrain-slow" not in stages:
        raise ValueError("--real-labelled-share trains the slow net's pre-training; --stages has no pretrain-slow")
    if "mila" not in stages and not args.real_labelled_share:
        raise ValueError("--real-footage trains the MILA stage through pseudo-labels; --stages has no mila")
    frozen = FREEZE_POLICIES[args.freeze]
    if "mila" in stages and ("slow" not in frozen or "decoders" not in frozen):
        raise ValueError(f"--real-footage: the slow net and decoders make the pseudo-labels and must stay frozen; "
                         f"--freeze {args.freeze} trains {', '.join(p for p in ('slow', 'decoders') if p not in frozen)}")
    if not args.real_root:
        raise ValueError("--real-footage needs --real-root, the folder its packages are extracted in")
    items = load_items(args.real_footage, Path(args.real_root), args.real_labels)
    return RealFootageDataset(items, config.input.height, config.input.width)


def same_architecture(saved: Dict, current: Dict) -> bool:
    """A resume checkpoint fits this run when the configs agree on everything but the name (a label)."""
    return {k: v for k, v in saved.items() if k != "name"} == {k: v for k, v in current.items() if k != "name"}


def seg_class_weights(kind: str, data, num_classes: int) -> Optional[torch.Tensor]:
    """Segmentation CE weights (`--class-weights`) from the training data's pixel counts per class."""
    if kind == "none":
        return None
    counts = getattr(data, "class_pixel_counts", None)
    if counts is None:
        raise ValueError(f"--class-weights {kind} needs training data that can count its labels "
                         f"(--data street-cache); {type(data).__name__} cannot")
    return class_balanced_weights(counts(num_classes), kind)


def cache_spec_of(folder: Optional[str]):
    """The CacheSpec a cache folder was built for; refuses a cache of another renderer version."""
    from .render_cache import CacheSpec, renderer_version

    if not folder:
        raise ValueError("--data street-cache needs --cache-dir (training/scripts/render_cache.py builds it)")
    path = Path(folder) / "spec.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: {folder} is not a rendered-data cache")
    d = json.loads(path.read_text())
    if d.pop("renderer") != renderer_version():
        raise ValueError(f"cache {folder} was rendered by another renderer version; rebuild it")
    return CacheSpec.from_saved(d)


def run(args) -> Dict:
    threads = use_cpus(args.threads) if not str(args.device).startswith("cuda") else torch.get_num_threads()
    ctx = init_distributed(args.device)
    device = ctx.device
    args.amp = bool(args.amp) and device.type == "cuda"
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # a few fixed input shapes: cuDNN picks its fastest kernels once
    out = Path(args.out)
    if ctx.is_main:
        out.mkdir(parents=True, exist_ok=True)
    log_path = out / "train_log.jsonl"

    def log(entry: dict) -> None:
        line = json.dumps(entry)
        print(line, flush=True)
        with open(log_path, "a") as f:
            f.write(line + "\n")

    t_start = time.time()
    torch.manual_seed(args.seed)  # identical init on every rank (DDP also broadcasts rank 0's weights)
    rng = random.Random(args.seed * 1000 + ctx.rank)
    if args.init:
        model, config = load_init(args.init)
    else:
        config = load_config(args.config)
        if not args.mf:
            config = dataclasses.replace(config, ila=dataclasses.replace(config.ila, memory=1))
        model = MilaModel(config, with_discriminator=True)
    if args.model_name and args.model_name != config.name:
        # a run that continues another model trains a new one: its eval and export carry the new name
        config = dataclasses.replace(config, name=args.model_name)
        model.config = config
    model.to(device)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    for s in stages:
        if s not in STAGES:
            raise ValueError(f"unknown stage {s!r}; choose from {STAGES}")
    augment = AugmentSpec.from_json(json.loads(args.augment) if args.augment else None)
    fractions = [float(v) for v in args.stage_split.split(",")]
    if len(fractions) != len(STAGES):
        raise ValueError(f"--stage-split needs {len(STAGES)} fractions ({', '.join(STAGES)}), got {args.stage_split!r}")
    t_data = time.time()
    train_data, eval_data = build_datasets(args, config, device, rng, args.randomized_share)
    # the budget covers data setup (rendering a pool: not for a cache) and training; evaluation and export follow
    setup = time.time() - t_start if args.data == "street" else 0.0
    remaining = None if args.time_budget is None else max(0.0, args.time_budget - setup)
    budgets = split_budget(remaining, stages, fractions)
    pre_bs = args.pretrain_batch_size or args.batch_size
    real_data = build_real_footage(args, config, stages)
    # before training: a labels folder that labels no photo is an error here
    hand_labelled = real_data.hand_labelled() if real_data is not None and args.real_labelled_share else None
    class_weights = seg_class_weights(args.class_weights, train_data, config.segmentation.num_classes)
    losses = TaskLosses(config.segmentation.ignore_index, args.depth_loss, class_weights)
    results: List[StageResult] = []
    d18: Optional[SingleFrameNet] = None
    done: List[str] = []
    resume_path = out / RESUME_FILE
    state: Optional[TrainState] = None
    if resume_path.exists() and not args.restart:
        state = load_state(resume_path)
        if not same_architecture(state.config, config.to_json()):
            raise ValueError(f"{resume_path} belongs to another model config; use another --out or --restart")
        model.load_state_dict(state.model)
        done = list(state.stages_done)
        results = [StageResult(**r, losses=[], task_losses=[]) for r in state.results]
        if state.d18 is not None:
            d18 = SingleFrameNet(copy.deepcopy(model.fast), fresh_decoders(config), config.depth.max_depth).to(device)
            d18.load_state_dict(state.d18)
        rng.setstate(state.python_rng)
        torch.set_rng_state(state.torch_rng)
    if ctx.is_main:
        log({"event": "start", "device": str(device), "threads": threads, "world_size": ctx.world_size,
             "amp": args.amp, "config": config.name, "stages": stages, "budgets_s": budgets,
             "data": args.data, "randomized_share": args.randomized_share,
             "real_footage": None if real_data is None else {
                 "items": [f"{i.id} ({len(i.frames)} frames{', hand-labelled' if i.labels is not None else ''})"
                           for i in real_data.items], "share": args.real_share,
                 "labelled_share": args.real_labelled_share,
                 "pseudo_threshold": args.pseudo_threshold, "pseudo_depth": args.pseudo_depth},
             "augment": dataclasses.asdict(augment), "depth_loss": args.depth_loss,
             "class_weights": None if class_weights is None else [round(float(w), 4) for w in class_weights],
             "data_setup_s": round(time.time() - t_data, 2),
             "resumed": None if state is None else {"stages_done": done,
                                                     "stage": state.current.stage if state.current else None,
                                                     "step": state.current.step if state.current else None}})

    def save(progress: Optional[StageProgress]) -> None:
        save_state(resume_path, TrainState(
            {k: v.detach().cpu() for k, v in model.state_dict().items()}, config.to_json(), list(done),
            [{k: v for k, v in dataclasses.asdict(r).items() if k not in ("losses", "task_losses")} for r in results],
            None if d18 is None else {k: v.detach().cpu() for k, v in d18.state_dict().items()},
            progress, rng.getstate(), torch.get_rng_state()))

    def train_batch(num_frames: int, batch_size: int):
        return augment_batch(train_data.sample(batch_size, num_frames, rng).to(device), augment, rng,
                             config.segmentation.ignore_index)

    def pretrain_batch(real_share: float):
        """Rendered frames, `real_share` of them hand-labelled real photos instead."""
        n_real = round(pre_bs * real_share)
        if n_real == 0:
            return train_batch(1, pre_bs)
        real = augment_batch(hand_labelled.sample(n_real, 1, rng).to(device), augment, rng,
                             config.segmentation.ignore_index)
        return ClipBatch.concat([train_batch(1, pre_bs - n_real), real])

    def real_batch(plan):
        """Unlabelled real clips, augmented, their fast frames labelled by the frozen slow net."""
        clips = augment_batch(real_data.sample(args.batch_size, plan.num_frames, rng).to(device), augment, rng,
                              config.segmentation.ignore_index)
        fast = [plan.keyframes[-1] + o for o in plan.fast_offsets]
        return pseudo_label(model, clips, fast, args.pseudo_threshold, config.segmentation.ignore_index,
                            with_depth=args.pseudo_depth)

    for stage in stages:
        if stage in done:
            continue
        if budgets[stage] is not None and budgets[stage] <= 0:
            # a stage given no time (e.g. --stage-split 0.6,0,0.4): skipped, not run for zero seconds
            done.append(stage)
            if ctx.is_main:
                log({"event": "stage-skipped", "stage": stage, "why": "its share of the time budget is 0"})
                save(None)
            continue
        progress = state.current if state is not None and state.current and state.current.stage == stage else None
        if stage in ("pretrain-slow", "pretrain-fast"):
            if stage == "pretrain-slow":
                net = SingleFrameNet(model.slow, model.decoders, config.depth.max_depth)
            else:
                # D18-MultiTask has its own decoders; the MILA stage keeps the D101 ones (shared decoders)
                d18 = SingleFrameNet(model.fast, fresh_decoders(config).to(device), config.depth.max_depth)
                net = d18
            step_module = SingleFrameStep(net, make_weighting(args.weighting, TASKS), config, losses).to(device)
            for p in step_module.parameters():
                p.requires_grad_(True)
            step_module.train()
            real_share = args.real_labelled_share if stage == "pretrain-slow" else 0.0
            sample = lambda: (pretrain_batch(real_share),)  # noqa: E731
        else:
            params_frozen = FREEZE_POLICIES[args.freeze]
            _set_trainable(model, params_frozen)
            # moved as a whole, as the pre-training step is: its losses' class weights go with it
            step_module = MilaClipStep(model, make_weighting(args.weighting, TASKS),
                                       train_slow="slow" not in params_frozen,
                                       adv_weight=args.adv_weight, fast_only_weight=args.fast_only_weight,
                                       task_losses=losses).to(device)

            def sample():
                plan = sample_clip_plan(rng, args.k_min, args.k_max, config.ila.memory, args.max_fast_frames)
                if real_data is not None and rng.random() < args.real_share:
                    return real_batch(plan), plan
                return train_batch(plan.num_frames, args.batch_size), plan
        if progress is not None and progress.extra is not None:
            step_module.load_state_dict(progress.extra)
        params = [p for p in step_module.parameters() if p.requires_grad]
        before_step = lambda fraction: None  # noqa: E731
        if stage != "mila" and args.pretrain_output_stride not in (None, config.output_stride):
            before_step = stride_schedule(net.backbone.encoder, args.pretrain_output_stride, config.output_stride,
                                          args.pretrain_fine_tail, stage, log)
        result = run_stage(stage, step_module, params, sample, budgets[stage], args.max_steps, args, ctx, log,
                           progress, save, before_step)
        model.slow.encoder.set_output_stride(config.output_stride)
        model.fast.encoder.set_output_stride(config.output_stride)
        for p in model.parameters():
            p.requires_grad_(True)
        if stage == "pretrain-fast" and not args.no_eval:
            # snapshot: the MILA stage goes on training model.fast, the baseline row is the pre-trained D18
            d18 = copy.deepcopy(d18).eval()
        results.append(result)
        done.append(stage)
        if ctx.is_main:
            log({"event": "stage-done", "stage": stage, "steps": result.steps, "seconds": result.seconds,
                 "first_loss": result.first_loss, "last_loss": result.last_loss})
            save_checkpoint(model, out / "checkpoint.pt", done)
            # kept per stage: an ablation (e.g. the MILA stage without the adversary) starts from the same state
            save_checkpoint(model, out / f"checkpoint-after-{stage}.pt", done)
            save(None)
    barrier(ctx)
    summary = {"stages": [{k: v for k, v in dataclasses.asdict(r).items() if k not in ("losses", "task_losses")}
                          for r in results],
               # stage time summed over every process of a resumed run; this process's own wall time beside it
               "train_seconds": round(sum(r.seconds for r in results), 2),
               "process_seconds": round(time.time() - t_start, 2)}
    t_end_train = time.time()
    if ctx.is_main:
        model.eval()
        if not args.no_eval:
            t_eval = time.time()
            extra = {"fast-only (D18-MultiTask)": d18.eval()} if d18 is not None else None
            table = evaluate(model, eval_data, [int(k) for k in args.eval_ks.split(",")], args.eval_frames,
                             args.eval_batch_size, device, args.amp, extra_nets=extra)
            (out / "eval.json").write_text(json.dumps(table, indent=2) + "\n")
            (out / "eval.md").write_text(to_markdown(table))
            summary["eval_seconds"] = round(time.time() - t_eval, 2)
            print(to_markdown(table), flush=True)
        if not args.no_export:
            export_model(model.cpu(), out / "export")
        summary["total_seconds"] = round(summary["train_seconds"] + time.time() - t_end_train, 2)
        (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        log({"event": "done", **summary})
    shutdown(ctx)
    return summary


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Train MILA (staged), evaluate on held-out clips, export.",
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--config", help="architecture config JSON (docs/ARCHITECTURE.md)")
    p.add_argument("--init", help="start from this checkpoint.pt or export folder (its config) instead of --config")
    p.add_argument("--model-name", help="the trained model's name in its eval and export (default: the config's)")
    p.add_argument("--out", required=True, help="output directory (log, checkpoint, eval.md/json, export/)")
    p.add_argument("--stages", default=",".join(STAGES), help=f"comma list from {STAGES}, run in that order")
    p.add_argument("--weighting", default="equal", choices=WEIGHTINGS)
    p.add_argument("--freeze", default="slow", choices=sorted(FREEZE_POLICIES),
                   help="MILA stage: which parts stay frozen (pre-training stages train their own net fully)")
    p.add_argument("--k-min", type=int, default=2, help="MILA stage: smallest keyframe interval sampled")
    p.add_argument("--k-max", type=int, default=10, help="MILA stage: largest keyframe interval sampled")
    p.add_argument("--mf", action=argparse.BooleanOptionalAction, default=True,
                   help="multi-frame memory (config ila.memory); --no-mf sets memory 1 (with --config)")
    p.add_argument("--adv-weight", type=float, default=0.01, help="adversarial loss weight (0 disables it)")
    p.add_argument("--fast-only-weight", type=float, default=0.5,
                   help="MILA stage: weight of the fast-only path's loss (keeps the runtime's fast-only mode sound)")
    p.add_argument("--max-fast-frames", type=int, default=3, help="MILA stage: fast frames supervised per clip")
    p.add_argument("--batch-size", type=int, default=4, help="clips per MILA step")
    p.add_argument("--pretrain-batch-size", type=int, default=None, help="frames per pre-training step (default: --batch-size)")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--lr-decay-at", type=float, default=0.7, help="fraction of each stage after which lr *= 0.1")
    p.add_argument("--dwa-period", type=int, default=10, help="steps per DWA period")
    p.add_argument("--time-budget", type=float, default=None,
                   help="seconds for data setup + all training stages; evaluation and export follow")
    p.add_argument("--stage-split", default="0.35,0.2,0.45", help="budget fractions for pretrain-slow,pretrain-fast,mila")
    p.add_argument("--max-steps", type=int, default=None, help="step limit per stage")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N")
    p.add_argument("--amp", action=argparse.BooleanOptionalAction, default=True, help="bf16 autocast (CUDA only)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--data", default="street", choices=("street", "street-cache", "cityscapes"))
    p.add_argument("--cache-dir", help="street-cache: the rendered-data cache folder (scripts/render_cache.py)")
    p.add_argument("--randomized-share", type=float, default=None,
                   help="street-cache: share of training samples drawn from the domain-randomised units "
                        "(default: every cached unit alike)")
    p.add_argument("--real-footage", help="MILA stage: manifest of unlabelled real photos and videos "
                                          "(training/real_footage/unlabelled.json), trained on through the slow net's pseudo-labels")
    p.add_argument("--real-root", help="the folder the real-footage manifest's packages are extracted in")
    p.add_argument("--real-share", type=float, default=0.5, help="share of MILA steps on real footage")
    p.add_argument("--real-labels", action="append",
                   help="folder of hand-labelled polygons (<footage id>.json) for photos of --real-footage: "
                        "those clips train on them instead of pseudo-labels (repeat the flag for several folders)")
    p.add_argument("--real-labelled-share", type=float, default=0.0,
                   help="pretrain-slow: share of each batch's frames from the hand-labelled real photos")
    p.add_argument("--pseudo-threshold", type=float, default=0.0,
                   help="pseudo-labels: least softmax probability of a pixel's class for it to be labelled")
    p.add_argument("--pseudo-depth", action=argparse.BooleanOptionalAction, default=True,
                   help="pseudo-labels include the slow net's depth (--no-pseudo-depth: segmentation only)")
    p.add_argument("--augment", default=None, help="augmentation as JSON (mila.augment.AugmentSpec), e.g. from a recipe")
    p.add_argument("--class-weights", default="none", choices=CLASS_WEIGHTINGS,
                   help="segmentation CE weight per class from the training pixel counts (mila.losses.class_balanced_weights)")
    p.add_argument("--depth-loss", default="l1", choices=DEPTH_LOSSES, help="l1 (metres) or log-l1 (log depth)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads (default: every CPU available to the process)")
    p.add_argument("--checkpoint-every", type=float, default=600, help="seconds between resume checkpoints (0: stage ends only)")
    p.add_argument("--pretrain-output-stride", type=int, default=None, choices=(8, 16),
                   help="pre-train the encoders at this output stride (16 is several times cheaper than 8) ...")
    p.add_argument("--pretrain-fine-tail", type=float, default=0.25,
                   help="... then the last fraction of each pre-training stage at the model's own stride")
    p.add_argument("--restart", action="store_true", help="ignore an existing resume.pt in --out and start over")
    p.add_argument("--train-seeds", default="1000000:2000000", help="street: training seeds, 'a:b' or 'a,b,c'")
    p.add_argument("--eval-seeds", default="1:9", help="street: held-out evaluation seeds (mila.street.HELD_OUT_SEEDS)")
    p.add_argument("--max-start-frame", type=int, default=1500, help="street: latest first frame of a training clip")
    p.add_argument("--pool-clips", type=int, default=8, help="street: clips kept rendered for training (0: render every batch)")
    p.add_argument("--pool-frames", type=int, default=None, help="street: frames per pool clip (default: memory x k-max)")
    p.add_argument("--pool-refresh-every", type=int, default=20, help="street: steps between pool refreshes (0: never)")
    p.add_argument("--pool-refresh-clips", type=int, default=1, help="street: clips re-rendered per refresh")
    p.add_argument("--cityscapes-root")
    p.add_argument("--cityscapes-train-split", default="train")
    p.add_argument("--cityscapes-eval-split", default="val")
    p.add_argument("--eval-ks", default="1,2,5,10", help="keyframe intervals to evaluate")
    p.add_argument("--eval-frames", type=int, default=30, help="frames per evaluation clip")
    p.add_argument("--eval-batch-size", type=int, default=4, help="evaluation clips run together")
    p.add_argument("--no-eval", action="store_true")
    p.add_argument("--no-export", action="store_true")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.config and not args.init:
        parser.error("give --config (or --init with a checkpoint)")
    if args.time_budget is None and args.max_steps is None:
        parser.error("give --time-budget and/or --max-steps")
    try:
        run(args)
    except (ValueError, FileNotFoundError) as e:  # user errors; anything else keeps its traceback
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
