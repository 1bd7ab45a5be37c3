"""The lent-GPU script, rehearsed on the CPU at tiny size: cache, run, evaluation, export, one tar per run."""
import os
import subprocess
import sys
import tarfile
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "device_run.sh"


def _rehearse(tmp_path, **env):
    out = tmp_path / "out"
    env = {**os.environ, "OUT": str(out), "REHEARSE": "1", "RUNS_DIR": str(tmp_path / "runs"), "PYTHON": sys.executable,
           **env}
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_rehearsal_packs_each_run_into_one_returnable_file(tmp_path):
    out = _rehearse(tmp_path)
    assert sorted(p.name for p in out.iterdir()) == ["device.log", "tiny-rehearsal.tar"]
    with tarfile.open(out / "tiny-rehearsal.tar") as tar:
        names = set(tar.getnames())
    assert {"export/model.safetensors", "export/config.json", "eval.json", "eval.md", "recipe.json", "summary.json",
            "train_log.jsonl", "run.log"} <= names
    assert "checkpoint.pt" not in names  # the export is what comes back; both would pass a returned file's 16 MiB
    log = (out / "device.log").read_text()
    assert "cache ready" in log and "tiny-rehearsal:" in log and "(status 0)" in log


def test_an_export_too_big_for_one_returned_file_comes_back_as_float16_parts(tmp_path):
    out = _rehearse(tmp_path, PACK_OVER_BYTES="100000")  # the tiny export (~0.9 MB) counts as too big
    with tarfile.open(out / "tiny-rehearsal.tar") as tar:
        assert not any(n.startswith("export") for n in tar.getnames())
    parts = sorted(p.name for p in (out / "tiny-rehearsal-export").iterdir())
    assert "config.json" in parts and len([p for p in parts if p.endswith(".safetensors")]) >= 1
