import random

import pytest
import torch

from mila.data import ClipBatch
from mila.losses import make_weighting
from mila.mila_model import MilaModel, normalize_rgb
from mila.scheduler import ClipPlan
from mila.steps import MilaClipStep, SingleFrameNet, SingleFrameStep
from mila.train import FREEZE_POLICIES, _set_trainable, build_parser, run_stage, split_budget

from fake_clips import FakeClips
from helpers import tiny_config

TASKS = ("segmentation", "depth")


def _cfg():
    return tiny_config(input={"height": 32, "width": 64, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]})


def test_split_budget():
    assert split_budget(100.0, ["pretrain-slow", "pretrain-fast", "mila"], [0.5, 0.25, 0.25]) == \
        {"pretrain-slow": 50.0, "pretrain-fast": 25.0, "mila": 25.0}
    assert split_budget(90.0, ["mila"], [0.5, 0.25, 0.25]) == {"mila": 90.0}
    assert split_budget(None, ["mila"], [1, 1, 1]) == {"mila": None}
    with pytest.raises(ValueError, match="no time"):
        split_budget(10.0, ["mila"], [1, 1, 0])


def test_mila_step_trains_fast_ila_and_discriminator_but_not_a_frozen_slow_net():
    torch.manual_seed(0)
    cfg = _cfg()
    model = MilaModel(cfg, with_discriminator=True)
    params = _set_trainable(model, FREEZE_POLICIES["slow"])
    assert not model.slow.training and model.fast.training
    before = {k: v.clone() for k, v in model.state_dict().items()}
    step = MilaClipStep(model, make_weighting("uncertainty", TASKS), train_slow=False, adv_weight=0.1,
                        fast_only_weight=0.5)
    params += list(step.weighting.parameters())
    data = FakeClips(cfg.input.height, cfg.input.width, cfg.segmentation.num_classes)
    rng = random.Random(0)
    plan = ClipPlan(k=3, segments=2, fast_offsets=(1, 2))
    args = build_parser().parse_args(["--out", "unused", "--lr", "1e-3"])
    res = run_stage("mila", step, params, lambda: (data.sample(2, plan.num_frames, rng), plan), None, 3, args,
                    _ctx(), lambda e: None)
    assert res.steps == 3 and all(torch.isfinite(torch.tensor(res.losses)))
    after = model.state_dict()
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert not any(k.startswith("slow.") for k in changed)  # weights and BN statistics untouched
    for prefix in ("fast.encoder.layer1", "fast.proj", "ila.segmentation.query", "ila.depth.fuse",
                   "discriminator.convs.0", "decoders.segmentation.head"):
        assert any(k.startswith(prefix) for k in changed), prefix
    assert step.weighting.log_vars.abs().sum() > 0


def _mila_steps_under(policy: str):
    """A fresh model frozen by `policy`, then two MILA steps on fake clips: the model, its trainable
    parameters, the state keys that changed, and which parts were in training mode."""
    torch.manual_seed(0)
    cfg = _cfg()
    model = MilaModel(cfg, with_discriminator=False)
    params = _set_trainable(model, FREEZE_POLICIES[policy])
    before = {k: v.clone() for k, v in model.state_dict().items()}
    step = MilaClipStep(model, make_weighting("equal", TASKS), train_slow=False, adv_weight=0.0, fast_only_weight=0.5)
    data = FakeClips(cfg.input.height, cfg.input.width, cfg.segmentation.num_classes)
    plan = ClipPlan(k=3, segments=2, fast_offsets=(1, 2))
    args = build_parser().parse_args(["--out", "unused", "--lr", "1e-3", "--freeze", policy])
    rng = random.Random(0)
    training = {name: getattr(model, name).training for name in ("slow", "fast", "decoders", "ila")}
    run_stage("mila", step, params, lambda: (data.sample(2, plan.num_frames, rng), plan), None, 2, args,
              _ctx(), lambda e: None)
    changed = {k for k in before if not torch.equal(before[k], model.state_dict()[k])}
    return model, params, changed, training


def test_freezing_both_backbones_trains_only_ila_and_the_decoders():
    _, _, changed, training = _mila_steps_under("slow+fast")
    assert training == {"slow": False, "fast": False, "decoders": True, "ila": True}
    assert not any(k.startswith(("slow.", "fast.")) for k in changed)  # weights and BN statistics untouched
    for prefix in ("ila.segmentation.query", "decoders.segmentation.head"):
        assert any(k.startswith(prefix) for k in changed), prefix


def test_freezing_everything_but_ila_keeps_slow_only_and_fast_only_exactly():
    model, params, changed, training = _mila_steps_under("slow+fast+decoders")
    assert {id(p) for p in params} == {id(p) for p in model.ila.parameters()}
    assert training == {"slow": False, "fast": False, "decoders": False, "ila": True}
    assert changed and all(k.startswith("ila.") for k in changed), sorted(changed)


def test_plan_longer_than_clip_is_rejected():
    cfg = _cfg()
    model = MilaModel(cfg, with_discriminator=True)
    step = MilaClipStep(model, make_weighting("equal", TASKS), True, 0.1, 0.0)
    clip = FakeClips(cfg.input.height, cfg.input.width).sample(1, 2, random.Random(0))
    with pytest.raises(ValueError, match="needs 4"):
        step(clip, ClipPlan(k=2, segments=2, fast_offsets=(1,)), False)
    with pytest.raises(ValueError, match="with_discriminator"):
        MilaClipStep(MilaModel(cfg), make_weighting("equal", TASKS), True, 0.1, 0.0)


def test_single_frame_step_uses_the_given_decoders():
    cfg = _cfg()
    model = MilaModel(cfg)
    net = SingleFrameNet(model.slow, model.decoders, cfg.depth.max_depth)
    step = SingleFrameStep(net, make_weighting("dwa", TASKS), cfg)
    clip = FakeClips(cfg.input.height, cfg.input.width).sample(2, 1, random.Random(0))
    total, logs = step(clip, False)
    total.backward()
    assert set(logs) == {"segmentation", "depth"}
    assert model.decoders["depth"].head.weight.grad is not None and model.fast.proj.conv.weight.grad is None


def _ctx():
    from mila.distributed import DistContext
    return DistContext(0, 1, torch.device("cpu"))


def test_frames_without_ground_truth_add_no_loss_and_do_not_dilute_the_mean():
    """A pseudo-labelled real clip labels its fast frames only: the loss is theirs alone."""
    torch.manual_seed(0)
    cfg = _cfg()
    model = MilaModel(cfg)
    _set_trainable(model, FREEZE_POLICIES["slow+decoders"])
    model.eval()  # BN on running statistics: the step and the reference see the same numbers
    clip = FakeClips(cfg.input.height, cfg.input.width, cfg.segmentation.num_classes).sample(2, 3, random.Random(0))
    labels, depth = clip.labels.clone(), clip.depth.clone()
    labels[:, 0], depth[:, 0] = 255, 0.0  # the keyframe has no ground truth
    step = MilaClipStep(model, make_weighting("equal", TASKS), train_slow=False, adv_weight=0.0, fast_only_weight=0.5)
    plan = ClipPlan(k=3, segments=1, fast_offsets=(1, 2))
    _, logs = step(ClipBatch(clip.rgb, labels, depth), plan, False)
    x = lambda i: normalize_rgb(clip.rgb[:, i], cfg)  # noqa: E731
    with torch.no_grad():
        _, entry = model.run_keyframe(x(0))
        expected = {t: 0.0 for t in TASKS}
        for i in (1, 2):
            ila = step.task_losses(model.run_fast_frame(x(i), [entry]), labels[:, i], depth[:, i])
            alone = step.task_losses(model.run_fast_only(x(i)), labels[:, i], depth[:, i])
            for t in TASKS:
                expected[t] += (float(ila[t]) + 0.5 * float(alone[t])) / 2
    for t in TASKS:
        assert logs[t] == pytest.approx(expected[t], rel=1e-5)
