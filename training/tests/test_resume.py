"""Resumable training: a run killed mid-stage and started again with the same command ends with the
same weights as a run that was never interrupted; recipes drive the same trainer."""
import json
from pathlib import Path

import pytest
import torch

import mila.train as train_module
from mila.recipe import load_recipe, train_flags
from mila.render_cache import CacheSpec, build_cache
from mila.safetensors_io import load_safetensors

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
SPEC = CacheSpec(height=64, width=128, train_seeds=(1000011, 1000012), singles_per_seed=2,
                 clip_seeds=(1000013,), clip_frames=4, eval_seeds=(4,), eval_frames=2)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return build_cache(SPEC, tmp_path_factory.mktemp("cache"), workers=1)


def _flags(cache: Path, out: Path):
    return ["--config", str(CONFIGS / "tiny.json"), "--out", str(out), "--data", "street-cache",
            "--cache-dir", str(cache), "--max-steps", "3", "--batch-size", "2", "--k-min", "2", "--k-max", "2",
            "--eval-ks", "1,2", "--eval-frames", "2", "--eval-batch-size", "1", "--no-eval", "--threads", "1",
            "--augment", json.dumps({"scale": [0.8, 1.3], "hflip": True, "brightness": 0.2}),
            "--depth-loss", "log-l1", "--checkpoint-every", "1e-9", "--lr", "1e-3"]


class Killed(Exception):
    pass


def test_killed_run_resumes_to_the_same_weights(cache, tmp_path, monkeypatch):
    assert train_module.main(_flags(cache, tmp_path / "straight")) == 0

    real_save = train_module.save_state

    def save_then_die(path, state):
        real_save(path, state)
        if state.current is not None and state.current.stage == "mila" and state.current.step == 2:
            raise Killed()

    monkeypatch.setattr(train_module, "save_state", save_then_die)
    with pytest.raises(Killed):
        train_module.main(_flags(cache, tmp_path / "killed"))
    assert not (tmp_path / "killed" / "export").exists()
    monkeypatch.setattr(train_module, "save_state", real_save)
    assert train_module.main(_flags(cache, tmp_path / "killed")) == 0

    log = [json.loads(line) for line in (tmp_path / "killed" / "train_log.jsonl").read_text().splitlines()]
    starts = [e for e in log if e.get("event") == "start"]
    assert starts[-1]["resumed"] == {"stages_done": ["pretrain-slow", "pretrain-fast"], "stage": "mila", "step": 2}
    assert starts[-1]["threads"] == 1
    a, _ = load_safetensors(tmp_path / "straight" / "export" / "model.safetensors")
    b, _ = load_safetensors(tmp_path / "killed" / "export" / "model.safetensors")
    assert a.keys() == b.keys()
    for name in a:
        assert torch.equal(a[name], b[name]), name  # same thread count, same order of operations: bit-exact


def test_resume_refuses_another_config(cache, tmp_path):
    out = tmp_path / "run"
    assert train_module.main(_flags(cache, out) + ["--stages", "pretrain-slow"]) == 0
    other = json.loads((CONFIGS / "tiny.json").read_text())
    other["taskChannels"] = 16
    (tmp_path / "other.json").write_text(json.dumps(other))
    flags = _flags(cache, out)
    flags[1] = str(tmp_path / "other.json")
    assert train_module.main(flags) == 2


def test_a_run_renamed_with_class_weights_resumes_and_exports_its_new_name(cache, tmp_path):
    """`--model-name` (a recipe continuing another model) still resumes the checkpoint saved under the
    config's own name; the class weights come from the cache's pixel counts and are logged."""
    out = tmp_path / "run"
    assert train_module.main(_flags(cache, out) + ["--stages", "pretrain-slow"]) == 0
    weighted = ["--class-weights", "sqrt-inverse-frequency", "--model-name", "renamed"]
    assert train_module.main(_flags(cache, out) + weighted) == 0
    starts = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines() if '"start"' in line]
    assert starts[0]["class_weights"] is None
    assert starts[-1]["resumed"]["stages_done"] == ["pretrain-slow"] and starts[-1]["config"] == "renamed"
    weights = starts[-1]["class_weights"]
    assert len(weights) == 19 and max(weights) / min(weights) == pytest.approx(10.0, rel=1e-3)
    assert json.loads((out / "export" / "config.json").read_text())["name"] == "renamed"


def test_class_pixel_counts_count_every_labelled_training_pixel(cache):
    from mila.data import CachedStreetDataset
    from mila.train import cache_spec_of

    data = CachedStreetDataset(cache, cache_spec_of(str(cache)), num_classes=19)
    counts = data.class_pixel_counts(19)
    labels = torch.cat([data.singles[1].flatten(), data.clips[1].flatten()])
    assert int(counts.sum()) == int((labels != 255).sum()) > 0
    assert int(counts[0]) == int((labels == 0).sum())


def test_recipe_inherits_its_base_and_becomes_trainer_flags(tmp_path):
    (tmp_path / "base.json").write_text(json.dumps({
        "config": str(CONFIGS / "tiny.json"),
        "data": {"source": "street-cache", "train_seeds": [1000000, 2], "singles_per_seed": 1,
                 "clip_seeds": [1500000, 1], "clip_frames": 4, "eval_seeds": [2], "eval_frames": 2},
        "train": {"lr": 1e-3, "freeze": "slow", "mf": True}}))
    (tmp_path / "r.json").write_text(json.dumps({"_base_": "base.json", "name": "r", "model": "m",
                                                 "train": {"lr": 5e-4, "max_steps": 2}}))
    recipe = load_recipe(tmp_path / "r.json")
    assert recipe["train"] == {"lr": 5e-4, "freeze": "slow", "mf": True, "max_steps": 2}
    assert train_flags(recipe) == ["--lr", "0.0005", "--freeze", "slow", "--mf", "--max-steps", "2"]
    assert train_module.build_parser().parse_args(["--out", "x"] + train_flags(recipe)).lr == 5e-4


@pytest.mark.parametrize("change, message", [
    ({"name": None}, "missing"), ({"surprise": 1}, "unknown keys"), ({"_base_": "r.json"}, "cycle"),
    ({"config": "nope.json"}, "does not exist"), ({"data": {"source": "web"}}, "street-cache")])
def test_bad_recipes_say_what_is_wrong(tmp_path, change, message):
    recipe = {"name": "r", "model": "m", "config": str(CONFIGS / "tiny.json"), "train": {},
              "data": {"source": "street-cache"}}
    recipe.update(change)
    recipe = {k: v for k, v in recipe.items() if v is not None}
    (tmp_path / "r.json").write_text(json.dumps(recipe))
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        load_recipe(tmp_path / "r.json")


def test_every_shipped_recipe_loads():
    for path in (CONFIGS.parent / "recipes").glob("mila-*.json"):
        recipe = load_recipe(path)
        assert recipe["name"] == path.stem, "a recipe's file name is its name"
        train_module.build_parser().parse_args(["--out", "x"] + train_flags(recipe))


def test_pretraining_at_a_coarser_stride_ends_at_the_model_stride(cache, tmp_path):
    out = tmp_path / "run"
    flags = _flags(cache, out) + ["--stages", "pretrain-slow", "--pretrain-output-stride", "8",
                                  "--pretrain-fine-tail", "0.5", "--max-steps", "4"]
    assert train_module.main(flags) == 0
    log = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
    switches = [e["output_stride"] for e in log if e.get("event") == "output-stride"]
    assert switches == [8, 16]  # tiny.json runs at 16: pre-trained at 8 first, then its own stride


def test_a_stage_given_no_time_is_skipped(cache, tmp_path):
    # e.g. a recipe continuing a model whose fast net needs no separate pre-training: --stage-split 0.6,0,0.4
    out = tmp_path / "skip"
    assert train_module.main(_flags(cache, out) + ["--time-budget", "60", "--stage-split", "0.5,0,0.5"]) == 0
    log = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
    assert [e["stage"] for e in log if e.get("event") == "stage-skipped"] == ["pretrain-fast"]
    assert [e["stage"] for e in log if e.get("event") == "stage-done"] == ["pretrain-slow", "mila"]
    summary = json.loads((out / "summary.json").read_text())
    assert [s["stage"] for s in summary["stages"]] == ["pretrain-slow", "mila"]
    assert (out / "export" / "model.safetensors").is_file()
