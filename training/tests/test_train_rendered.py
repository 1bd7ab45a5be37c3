"""Training on the project's rendered street clips (the real renderer, tiny sizes)."""
import random

import pytest
import torch

from mila.data import ClipPool, RenderedStreetDataset, seeds_overlap
from mila.distributed import DistContext
from mila.losses import make_weighting
from mila.mila_model import MilaModel
from mila.scheduler import ClipPlan
from mila.train import FREEZE_POLICIES, _set_trainable, build_parser, run_stage
from mila.steps import MilaClipStep

from helpers import tiny_config


@pytest.fixture(scope="module")
def pool():
    from mila.street import HELD_OUT_SEEDS, TRAIN_SEED_RANGE

    source = RenderedStreetDataset(TRAIN_SEED_RANGE, 32, 64, "cpu", max_start_frame=600, num_classes=19)
    assert not seeds_overlap(source.seeds, HELD_OUT_SEEDS)
    return ClipPool(source, clips=2, frames=4, rng=random.Random(0), refresh_every=0)


def test_pool_clips_have_ground_truth(pool):
    batch = pool.sample(3, 2, random.Random(1))
    assert tuple(batch.rgb.shape) == (3, 2, 32, 64, 3) and batch.labels.dtype == torch.int64
    assert batch.frame_has_ground_truth().all()
    labelled = batch.labels != 255
    assert labelled.any() and bool((batch.labels[labelled] < 19).all())
    assert bool((batch.depth > 0).any()) and float(batch.depth.max()) <= 100.0
    with pytest.raises(ValueError, match="does not fit"):
        pool.sample(1, 5, random.Random(1))


def test_tiny_mila_loss_falls_over_30_steps(pool):
    torch.manual_seed(0)
    cfg = tiny_config(input={"height": 32, "width": 64, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]})
    model = MilaModel(cfg, with_discriminator=True)
    params = _set_trainable(model, FREEZE_POLICIES["none"])
    step = MilaClipStep(model, make_weighting("equal", ("segmentation", "depth")), train_slow=True,
                        adv_weight=0.01, fast_only_weight=0.5)
    rng = random.Random(0)
    plan = ClipPlan(k=2, segments=1, fast_offsets=(1,))
    args = build_parser().parse_args(["--out", "unused", "--lr", "1e-2"])
    res = run_stage("mila", step, params, lambda: (pool.sample(2, plan.num_frames, rng), plan), None, 30, args,
                    DistContext(0, 1, torch.device("cpu")), lambda e: None)
    assert res.steps == 30
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    assert mean(res.losses[-5:]) < 0.7 * mean(res.losses[:5]), res.losses
    for task in ("segmentation", "depth"):
        series = [h[task] for h in res.task_losses]
        assert mean(series[-5:]) < 0.8 * mean(series[:5]), (task, series)
