import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mila.checkpoint import load_checkpoint
from mila.export import load_exported
from mila.train import main

from cityscapes_fixture import fabricate_cityscapes
from real_footage_fixture import add_two_tone_photo, fabricate_footage
from helpers import CONFIG_DIR


def test_full_schedule_end_to_end_on_a_cityscapes_layout(tmp_path):
    """All three stages, evaluation and export through the CLI entry point (data: the fabricated folder)."""
    root = tmp_path / "cs"
    fabricate_cityscapes(root, "train")
    fabricate_cityscapes(root, "val")
    out = tmp_path / "run"
    rc = main(["--config", str(CONFIG_DIR / "tiny.json"), "--out", str(out), "--data", "cityscapes",
               "--cityscapes-root", str(root), "--max-steps", "2", "--batch-size", "1", "--k-min", "2",
               "--k-max", "2", "--eval-ks", "1,2", "--eval-frames", "3", "--weighting", "dwa",
               "--device", "cpu", "--log-every", "1"])
    assert rc == 0
    summary = json.loads((out / "summary.json").read_text())
    assert [(s["stage"], s["steps"]) for s in summary["stages"]] == \
        [("pretrain-slow", 2), ("pretrain-fast", 2), ("mila", 2)]
    table = json.loads((out / "eval.json").read_text())
    modes = {(r["mode"], r["K"]) for r in table["rows"]}
    assert modes == {("slow-only", 1), ("fast-only", 1), ("fast-only (D18-MultiTask)", 1), ("mila", 2), ("reuse", 2)}
    assert "| mila | 2 |" in (out / "eval.md").read_text()
    model, config = load_exported(out / "export")
    ckpt, stages = load_checkpoint(out / "checkpoint.pt")
    assert stages == ["pretrain-slow", "pretrain-fast", "mila"]
    for k, v in model.exported_state_dict().items():
        assert torch.equal(v, ckpt.state_dict()[k]), k
    log = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
    assert any(e.get("stage") == "mila" and "adversarial" in e for e in log)

    # the standalone CLIs on the same run: export the checkpoint again, evaluate the export
    scripts = Path(__file__).resolve().parent.parent / "scripts"
    subprocess.run([sys.executable, str(scripts / "export.py"), "--checkpoint", str(out / "checkpoint.pt"),
                    "--out", str(tmp_path / "export2")], check=True, capture_output=True)
    assert (tmp_path / "export2" / "model.safetensors").read_bytes() == (out / "export" / "model.safetensors").read_bytes()
    subprocess.run([sys.executable, str(scripts / "evaluate.py"), "--model-dir", str(tmp_path / "export2"),
                    "--out", str(tmp_path / "eval2"), "--data", "cityscapes", "--cityscapes-root", str(root),
                    "--eval-ks", "1,2", "--eval-frames", "3", "--device", "cpu"], check=True, capture_output=True)
    again = json.loads((tmp_path / "eval2" / "eval.json").read_text())
    mila_rows = lambda t: [r for r in t["rows"] if r["mode"] in ("mila", "reuse", "slow-only", "fast-only")]  # noqa: E731
    assert mila_rows(again) == mila_rows(table)


def test_cli_reports_bad_input(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--max-steps", "1"])  # neither --config nor --init
    rc = main(["--config", str(CONFIG_DIR / "tiny.json"), "--out", str(tmp_path), "--max-steps", "1",
               "--stages", "warmup", "--data", "cityscapes", "--cityscapes-root", str(tmp_path / "none")])
    assert rc == 2 and "unknown stage 'warmup'" in capsys.readouterr().err
    rc = main(["--config", str(CONFIG_DIR / "tiny.json"), "--out", str(tmp_path), "--max-steps", "1",
               "--data", "cityscapes", "--cityscapes-root", str(tmp_path / "none")])
    assert rc == 2 and "missing folder" in capsys.readouterr().err
    rc = main(["--config", str(CONFIG_DIR / "tiny.json"), "--out", str(tmp_path), "--max-steps", "1",
               "--data", "street", "--randomized-share", "0.5"])
    assert rc == 2 and "--randomized-share draws from a cache's randomised units" in capsys.readouterr().err


def _tiny_export(folder: Path) -> Path:
    from mila.config import load_config
    from mila.export import export_model
    from mila.mila_model import MilaModel

    torch.manual_seed(0)
    return export_model(MilaModel(load_config(str(CONFIG_DIR / "tiny.json"))), folder)


def test_real_footage_trains_the_fast_path_on_the_frozen_slow_nets_pseudo_labels(tmp_path, capsys):
    root = tmp_path / "cs"
    fabricate_cityscapes(root, "train")
    manifest = fabricate_footage(tmp_path / "footage")
    init = _tiny_export(tmp_path / "init")
    common = ["--init", str(init), "--data", "cityscapes", "--cityscapes-root", str(root),
              "--cityscapes-eval-split", "train", "--stages", "mila", "--max-steps", "3", "--batch-size", "2",
              "--k-min", "2", "--k-max", "2", "--device", "cpu", "--no-eval", "--no-export",
              "--real-footage", str(manifest)]
    out = tmp_path / "run"
    rc = main(common + ["--out", str(out), "--real-root", str(tmp_path / "footage" / "pkg"), "--real-share", "1",
                        "--freeze", "slow+decoders", "--log-every", "1"])
    assert rc == 0
    start = json.loads((out / "train_log.jsonl").read_text().splitlines()[0])
    assert start["real_footage"]["items"] == ["street (1 frames)", "park (1 frames)", "clip (12 frames)"]
    before, _ = load_exported(init)
    after, _ = load_checkpoint(out / "checkpoint.pt")
    changed = {k for k, v in before.exported_state_dict().items() if not torch.equal(v, after.state_dict()[k])}
    assert not any(k.startswith(("slow.", "decoders.")) for k in changed)  # the teacher stays as it was
    assert any(k.startswith("fast.") for k in changed) and any(k.startswith("ila.") for k in changed)

    rc = main(common + ["--out", str(tmp_path / "bad"), "--real-root", str(tmp_path / "footage" / "pkg"),
                        "--freeze", "slow"])
    assert rc == 2 and "must stay frozen; --freeze slow trains decoders" in capsys.readouterr().err
    rc = main(common + ["--out", str(tmp_path / "bad"), "--freeze", "slow+decoders"])
    assert rc == 2 and "needs --real-root" in capsys.readouterr().err


def test_hand_labelled_real_photos_join_the_slow_nets_pretraining_batches(tmp_path, capsys, monkeypatch):
    import mila.train as train_module

    root = tmp_path / "cs"
    fabricate_cityscapes(root, "train")
    manifest = fabricate_footage(tmp_path / "footage")
    labels = add_two_tone_photo(tmp_path / "footage", manifest)
    seen = []
    concat = train_module.ClipBatch.concat
    monkeypatch.setattr(train_module.ClipBatch, "concat",
                        staticmethod(lambda parts: seen.append([p.labels.shape[0] for p in parts]) or concat(parts)))
    common = ["--init", str(_tiny_export(tmp_path / "init")), "--data", "cityscapes", "--cityscapes-root", str(root),
              "--cityscapes-eval-split", "train", "--max-steps", "2", "--pretrain-batch-size", "4", "--device", "cpu",
              "--no-eval", "--no-export", "--real-footage", str(manifest), "--real-root", str(tmp_path / "footage" / "pkg")]
    out = tmp_path / "run"
    rc = main(common + ["--out", str(out), "--stages", "pretrain-slow", "--real-labels", str(labels),
                        "--real-labelled-share", "0.5"])
    assert rc == 0
    start = json.loads((out / "train_log.jsonl").read_text().splitlines()[0])
    assert "two-tone (1 frames, hand-labelled)" in start["real_footage"]["items"]
    assert start["real_footage"]["labelled_share"] == 0.5
    assert seen == [[2, 2], [2, 2]]  # every step: 2 rendered frames, 2 crops of the hand-labelled photo

    rc = main(common + ["--out", str(tmp_path / "bad"), "--stages", "pretrain-slow", "--real-labelled-share", "0.5"])
    assert rc == 2 and "needs --real-labels" in capsys.readouterr().err
    rc = main(common + ["--out", str(tmp_path / "bad"), "--stages", "mila", "--freeze", "slow+decoders",
                        "--real-labels", str(labels), "--real-labelled-share", "0.5"])
    assert rc == 2 and "--stages has no pretrain-slow" in capsys.readouterr().err
    rc = main(common + ["--out", str(tmp_path / "bad"), "--stages", "pretrain-slow", "--real-labels",
                        str(tmp_path / "footage" / "pkg"), "--real-labelled-share", "0.5"])
    assert rc == 2 and "no footage item has hand labels" in capsys.readouterr().err
