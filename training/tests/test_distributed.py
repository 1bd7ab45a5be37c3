"""Two CPU processes (gloo) run the MILA stage through DistributedDataParallel: ranks see different
clips yet end with identical weights, which only holds if gradients are all-reduced."""
import os
import random
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from mila.distributed import DistContext
from mila.losses import make_weighting
from mila.mila_model import MilaModel
from mila.scheduler import ClipPlan
from mila.steps import MilaClipStep
from mila.train import FREEZE_POLICIES, _set_trainable, build_parser, run_stage

from fake_clips import FakeClips
from helpers import tiny_config


def _worker(rank: int, world: int, port: int, out_dir: str) -> None:
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world)
    torch.manual_seed(0)
    cfg = tiny_config(input={"height": 32, "width": 32, "mean": [0.5] * 3, "std": [0.25] * 3})
    model = MilaModel(cfg, with_discriminator=True)
    params = _set_trainable(model, FREEZE_POLICIES["slow"])
    step = MilaClipStep(model, make_weighting("equal", ("segmentation", "depth")), False, 0.1, 0.5)
    data = FakeClips(32, 32, cfg.segmentation.num_classes)
    rng = random.Random(100 + rank)  # different clips per rank
    plan = ClipPlan(2, 1, (1,))
    args = build_parser().parse_args(["--out", out_dir, "--lr", "1e-3"])
    run_stage("mila", step, params, lambda: (data.sample(1, plan.num_frames, rng), plan), None, 2, args,
              DistContext(rank, world, torch.device("cpu")), lambda e: None)
    torch.save(model.state_dict(), os.path.join(out_dir, f"rank{rank}.pt"))
    dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ddp_ranks_stay_in_sync(tmp_path):
    torch.manual_seed(0)  # the workers' initial weights
    init = MilaModel(tiny_config(input={"height": 32, "width": 32, "mean": [0.5] * 3, "std": [0.25] * 3}),
                     with_discriminator=True)
    mp.spawn(_worker, args=(2, _free_port(), str(tmp_path)), nprocs=2, join=True)
    a = torch.load(tmp_path / "rank0.pt")
    b = torch.load(tmp_path / "rank1.pt")
    for k in a:
        if "running_" in k or "num_batches" in k:
            continue  # BN statistics are per rank (no SyncBatchNorm)
        assert torch.equal(a[k], b[k]), k
    assert not torch.equal(a["fast.proj.conv.weight"], init.state_dict()["fast.proj.conv.weight"])
