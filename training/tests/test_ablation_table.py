"""The ablation section of the model card: figures come from the two runs' files, deltas are shipped minus ablation."""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import ablation_table  # noqa: E402


def _run(folder: Path, miou: float, steps: int) -> Path:
    folder.mkdir()
    rows = [{"mode": "slow-only", "K": 1, "miou": 50.0, "pixelAccuracy": 90.0, "depthAbs": 3.0, "depthRel": 0.2},
            {"mode": "mila", "K": 5, "miou": miou, "pixelAccuracy": 80.0, "depthAbs": 4.0, "depthRel": 0.25}]
    (folder / "eval.json").write_text(json.dumps({"frames_per_clip": 60, "rows": rows}))
    (folder / "summary.json").write_text(json.dumps({"stages": [{"stage": "mila", "steps": steps, "seconds": 1440.4}]}))
    (folder / "recipe.json").write_text(json.dumps({"source": f"training/recipes/{folder.name}.json"}))
    return folder


def test_the_table_compares_mila_rows_and_states_both_budgets(tmp_path):
    md = ablation_table.ablation_markdown(_run(tmp_path / "main", 41.25, 700), _run(tmp_path / "abl", 40.0, 690),
                                          "without the adversary")
    assert "700 steps in 1440 s" in md and "690 steps in 1440 s" in md
    assert "training/recipes/abl.json" in md
    assert "| mila | 5 | 41.25 | 40.00 | +1.25 |" in md
    assert "slow-only" not in md.split("|---|")[1]  # rows that the MILA stage cannot change are left out


def test_a_missing_run_file_is_a_clear_error(tmp_path, capsys):
    main = _run(tmp_path / "main", 41.0, 700)
    (tmp_path / "abl").mkdir()
    assert ablation_table.main([str(main), str(tmp_path / "abl")]) == 2
    assert "eval.json is missing" in capsys.readouterr().err


def test_a_run_without_mila_stage_is_refused(tmp_path):
    main, abl = _run(tmp_path / "main", 41.0, 700), _run(tmp_path / "abl", 40.0, 690)
    (abl / "summary.json").write_text(json.dumps({"stages": [{"stage": "pretrain-slow", "steps": 1, "seconds": 1}]}))
    with pytest.raises(ValueError, match="no MILA stage"):
        ablation_table.ablation_markdown(main, abl, "x")
