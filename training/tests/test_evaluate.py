import math

import pytest
import torch

from mila.evaluate import evaluate, to_markdown
from mila.export import randomize_batchnorm
from mila.metrics import ConfusionMatrix, DepthErrors
from mila.mila_model import MilaModel, normalize_rgb

from fake_clips import FakeClips
from helpers import tiny_config


def _model():
    torch.manual_seed(0)
    cfg = tiny_config(input={"height": 32, "width": 48, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]})
    model = MilaModel(cfg)
    randomize_batchnorm(model, torch.Generator().manual_seed(2))
    return model.eval(), cfg


def test_rows_offsets_and_frame_counts():
    model, cfg = _model()
    data = FakeClips(cfg.input.height, cfg.input.width, cfg.segmentation.num_classes, clips=3)
    res = evaluate(model, data, ks=[1, 3], num_frames=5, batch_size=2, device=torch.device("cpu"))
    rows = {(r["mode"], r["K"]): r for r in res["rows"]}
    assert set(rows) == {("slow-only", 1), ("fast-only", 1), ("mila", 3), ("reuse", 3)}
    assert rows[("slow-only", 1)]["frames"] == 15 and rows[("mila", 3)]["frames"] == 15
    # 5 frames at K=3: offsets 0,1,2,0,1
    assert [(p["offset"], p["frames"]) for p in rows[("mila", 3)]["per_offset"]] == [(0, 6), (1, 6), (2, 3)]
    mila0, reuse0 = rows[("mila", 3)]["per_offset"][0], rows[("reuse", 3)]["per_offset"][0]
    assert mila0 == reuse0  # on keyframes both are the slow net's output
    assert rows[("mila", 3)]["gflops"] < rows[("slow-only", 1)]["gflops"]
    md = to_markdown(res)
    assert "| mila | 3 |" in md and "+2" in md
    # per class: the row's confusion broken down, named by the config's classes
    cm = ConfusionMatrix(cfg.segmentation.num_classes)
    for clip in data.eval_batches(5, 3):
        cm.update(clip.labels, clip.labels)  # a perfect prediction: every class present is drawn as itself
    present = {c["classId"] for c in cm.class_breakdown()}
    assert {c["classId"] for c in rows[("slow-only", 1)]["classes"]} == present
    assert sum(c["gtShare"] for c in rows[("slow-only", 1)]["classes"]) == pytest.approx(100, abs=1e-3)
    assert res["classes"] == list(cfg.segmentation.classes)
    assert "## Per class" in md and "| slow-only K=1 |" in md
    biggest = max(rows[("mila", 3)]["classes"], key=lambda c: c["gtShare"])
    assert f"| {cfg.segmentation.classes[biggest['classId']]} | {biggest['gtShare']:.1f} |" in md


def test_mila_offset_matches_a_manual_run():
    model, cfg = _model()
    data = FakeClips(cfg.input.height, cfg.input.width, cfg.segmentation.num_classes, clips=1)
    res = evaluate(model, data, ks=[3], num_frames=3, batch_size=1, device=torch.device("cpu"))
    row = next(r for r in res["rows"] if r["mode"] == "mila")
    clip = next(data.eval_batches(3, 1))
    with torch.no_grad():
        _, entry = model.run_keyframe(normalize_rgb(clip.rgb[:, 0], cfg))
        out = model.run_fast_frame(normalize_rgb(clip.rgb[:, 2], cfg), [entry])
    cm, de = ConfusionMatrix(cfg.segmentation.num_classes), DepthErrors(cfg.depth.max_depth)
    cm.update(out["segmentation"].argmax(1), clip.labels[:, 2])
    de.update(out["depth"][:, 0], clip.depth[:, 2])
    off2 = row["per_offset"][2]
    # the summary rounds to 4 decimals (|error| <= 5e-5); the same float32 model run in both: 1e-4 bounds it
    assert off2["miou"] == pytest.approx(cm.miou(), abs=1e-4)
    assert off2["depthAbs"] == pytest.approx(de.abs(), abs=1e-4)


class SkyClips(FakeClips):
    """FakeClips whose top rows are sky: gt depth at exactly `max_depth` (as the renderer stores it)."""

    def __init__(self, *args, max_depth: float, sky_rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_depth, self.sky_rows = max_depth, sky_rows

    def _clip(self, seed, num_frames, start):
        clip = super()._clip(seed, num_frames, start)
        clip.depth[:, :, : self.sky_rows] = self.max_depth
        return clip


def test_depth_metrics_skip_sky_at_the_models_max_depth():
    model, cfg = _model()
    max_depth = cfg.depth.max_depth
    data = SkyClips(cfg.input.height, cfg.input.width, cfg.segmentation.num_classes, clips=1,
                    max_depth=max_depth, sky_rows=8)
    res = evaluate(model, data, ks=[1], num_frames=1, batch_size=1, device=torch.device("cpu"))
    row = next(r for r in res["rows"] if r["mode"] == "slow-only")
    clip = next(data.eval_batches(1, 1))
    with torch.no_grad():
        out, _ = model.run_keyframe(normalize_rgb(clip.rgb[:, 0], cfg))
    pred, gt = out["depth"][:, 0], clip.depth[:, 0]
    assert int((gt == max_depth).sum()) == 8 * cfg.input.width
    ground = gt < max_depth
    expected = float((pred[ground] - gt[ground]).abs().mean())
    assert row["depthAbs"] == pytest.approx(expected, abs=1e-4)  # summary rounds to 4 decimals
    with_sky = DepthErrors(math.inf)
    with_sky.update(pred, gt)
    assert abs(with_sky.abs() - expected) > 1e-2  # the test would notice sky being counted


def test_sparse_labels_run_every_phase():
    model, cfg = _model()
    data = FakeClips(cfg.input.height, cfg.input.width, cfg.segmentation.num_classes, clips=2, dense=False)
    res = evaluate(model, data, ks=[1, 4], num_frames=6, batch_size=2, device=torch.device("cpu"))
    row = next(r for r in res["rows"] if r["mode"] == "mila")
    # the labelled last frame is seen once at every offset 0..3
    assert [(p["offset"], p["frames"]) for p in row["per_offset"]] == [(o, 2) for o in range(4)]
    assert next(r for r in res["rows"] if r["mode"] == "slow-only")["frames"] == 2


def test_bad_arguments():
    model, cfg = _model()
    data = FakeClips(cfg.input.height, cfg.input.width)
    with pytest.raises(ValueError, match="more frames"):
        evaluate(model, data, ks=[10], num_frames=5, batch_size=1, device=torch.device("cpu"))
    with pytest.raises(ValueError, match="K must be"):
        evaluate(model, data, ks=[0], num_frames=5, batch_size=1, device=torch.device("cpu"))
