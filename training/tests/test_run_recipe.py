"""The one command, end to end at tiny size: recipe -> cache -> three stages -> evaluation -> export."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import run_recipe  # noqa: E402
from mila.render_cache import renderer_version  # noqa: E402

RECIPE = Path(__file__).resolve().parent.parent / "recipes" / "tiny-rehearsal.json"


def test_tiny_recipe_builds_a_model_from_nothing(tmp_path, capsys):
    out = tmp_path / "run"
    args = [str(RECIPE), "--out", str(out), "--cache-root", str(tmp_path / "cache"), "--no-ship", "--threads", "1"]
    assert run_recipe.main(args) == 0
    for name in ("recipe.json", "train_log.jsonl", "summary.json", "eval.md", "eval.json", "resume.pt",
                 "export/config.json", "export/model.safetensors", "checkpoint-after-pretrain-slow.pt",
                 "checkpoint-after-mila.pt"):
        assert (out / name).exists(), name
    recipe = json.loads((out / "recipe.json").read_text())
    assert recipe["config"] == "training/configs/tiny.json"  # no absolute path of this machine
    # the data it saw: the cache's key and the renderer's version (the card embeds this file)
    assert recipe["cache"] == {"key": next((tmp_path / "cache").iterdir()).name, "renderer": renderer_version()}
    assert json.loads((out / "export" / "config.json").read_text())["name"] == recipe["model"]
    start = json.loads((out / "train_log.jsonl").read_text().splitlines()[0])
    assert start["event"] == "start" and start["threads"] == 1 and start["data"] == "street-cache"
    # the same command again: nothing to render, every stage done, so it only re-evaluates and exports
    assert run_recipe.main(args) == 0
    starts = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines() if '"start"' in line]
    assert starts[-1]["resumed"]["stages_done"] == ["pretrain-slow", "pretrain-fast", "mila"]
    assert '"to_render": 0' in capsys.readouterr().err


def test_a_bad_recipe_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "r.json"
    bad.write_text("{not json")
    assert run_recipe.main([str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_a_recipe_continues_the_model_it_names(tmp_path, capsys):
    """`init` is relative to the recipe's folder; a model that was not built yet is a clear error."""
    recipe = {"_base_": str(RECIPE), "init": "runs/not-built-yet/export", "name": "continued"}
    path = tmp_path / "continued.json"
    path.write_text(json.dumps(recipe))
    assert run_recipe.main([str(path), "--out", str(tmp_path / "o"), "--cache-root", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "runs" / "not-built-yet" / "export") in err and "build it first" in err


def test_command_line_overrides_are_recorded_and_rehearse_a_gpu_recipe_on_the_cpu(tmp_path):
    gpu = tmp_path / "gpu.json"
    gpu.write_text(json.dumps({"_base_": str(RECIPE), "name": "gpu-rehearsal",
                               "train": {"device": "cuda", "time_budget": 999}}))
    out = tmp_path / "run"
    assert run_recipe.main([str(gpu), "--out", str(out), "--cache-root", str(tmp_path / "cache"), "--no-ship",
                            "--threads", "1", "--device", "cpu", "--time-budget", "7"]) == 0
    recipe = json.loads((out / "recipe.json").read_text())
    # recipe.json says what the run did, not what the file asked for
    assert recipe["train"]["device"] == "cpu" and recipe["train"]["time_budget"] == 7
    assert recipe["hardware"].endswith("no GPU")
    start = json.loads((out / "train_log.jsonl").read_text().splitlines()[0])
    assert start["device"] == "cpu" and abs(sum(start["budgets_s"].values()) - 7) < 1e-6


def test_a_gpu_recipe_without_a_gpu_is_a_clear_error(tmp_path, capsys, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # also on a machine that has one
    gpu = tmp_path / "gpu.json"
    gpu.write_text(json.dumps({"_base_": str(RECIPE), "name": "gpu-run", "train": {"device": "cuda"}}))
    assert run_recipe.main([str(gpu), "--out", str(tmp_path / "o"), "--cache-root", str(tmp_path / "c")]) == 2
    assert "torch sees no CUDA GPU" in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_a_recipes_real_footage_manifest_and_labels_are_relative_to_it_and_its_package_must_exist(tmp_path, capsys):
    from mila.recipe import load_recipe

    (tmp_path / "footage").mkdir()
    (tmp_path / "footage" / "m.json").write_text(json.dumps(
        {"package": {"name": "no-such-package-mila", "version": "0"}, "evaluation": [], "files": [{"id": "x"}]}))
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"_base_": str(RECIPE), "name": "real",
                                "real_footage": {"manifest": "footage/m.json", "share": 0.5, "labels": "footage/labels",
                                                 "labelled_share": 0.25}}))
    assert load_recipe(path)["real_footage"]["manifest"] == str(tmp_path / "footage" / "m.json")
    assert load_recipe(path)["real_footage"]["labels"] == str(tmp_path / "footage" / "labels")
    several = tmp_path / "several.json"  # a list of labels folders, each relative to the recipe
    several.write_text(json.dumps({"_base_": "r.json", "name": "several", "real_footage": {"labels": ["a", "footage/b"]}}))
    assert load_recipe(several)["real_footage"]["labels"] == [str(tmp_path / "a"), str(tmp_path / "footage" / "b")]
    assert load_recipe(several)["real_footage"]["manifest"] == str(tmp_path / "footage" / "m.json")
    assert run_recipe.main([str(path), "--out", str(tmp_path / "o"), "--cache-root", str(tmp_path / "cache")]) == 2
    assert "could not download and unpack the Debian package no-such-package-mila=0" in capsys.readouterr().err
    assert not (tmp_path / "cache").exists()  # it failed before rendering anything
    path.write_text(json.dumps({"_base_": str(RECIPE), "name": "real", "real_footage": {"manifest": "m.json", "shares": 1}}))
    assert run_recipe.main([str(path), "--out", str(tmp_path / "o")]) == 2
    assert "unknown real_footage keys ['shares']" in capsys.readouterr().err


def test_a_recipes_hand_labelled_photos_train_the_slow_net_and_are_recorded(tmp_path):
    from real_footage_fixture import add_two_tone_photo, fabricate_footage

    manifest = fabricate_footage(tmp_path / "footage", with_video=False)
    add_two_tone_photo(tmp_path / "footage", manifest)
    # the package as run_recipe keeps it beside the cache, already extracted
    pkg_root = tmp_path / "real-footage" / "debian"
    pkg_root.parent.mkdir()
    (tmp_path / "footage" / "pkg").rename(pkg_root)
    (pkg_root / ".extracted-fabricated_1").touch()
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"_base_": str(RECIPE), "name": "hand",
                                "real_footage": {"manifest": "footage/manifest.json", "labels": "footage/labels",
                                                 "labelled_share": 0.5},
                                "train": {"stages": "pretrain-slow,mila", "freeze": "slow+decoders"}}))
    out = tmp_path / "run"
    assert run_recipe.main([str(path), "--out", str(out), "--cache-root", str(tmp_path / "cache"), "--no-ship",
                            "--threads", "1"]) == 0
    record = json.loads((out / "recipe.json").read_text())["real_footage"]
    assert record["hand_labelled"] == ["two-tone"] and record["labelled_share"] == 0.5
    assert [p["name"] for p in record["packages"]] == ["fabricated"]  # the card names the packages
    assert not Path(record["labels"]).is_absolute() and Path(record["labels"]).name == "labels"
    start = json.loads((out / "train_log.jsonl").read_text().splitlines()[0])
    assert start["real_footage"]["items"] == ["street (1 frames)", "park (1 frames)", "two-tone (1 frames, hand-labelled)"]
