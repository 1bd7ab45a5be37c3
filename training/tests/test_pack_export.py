"""pack_export: the device run's float16, size-capped transfer of an export."""
import json
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from pack_export import pack  # noqa: E402

from mila.safetensors_io import load_safetensors, save_safetensors


def _fake_export(tmp_path: Path, sizes: dict[str, int]) -> Path:
    export = tmp_path / "export"
    export.mkdir()
    gen = torch.Generator().manual_seed(0)
    tensors = {name: torch.randn(n, generator=gen) for name, n in sizes.items()}
    save_safetensors(tensors, export / "model.safetensors", {"format": "mila-web/1"})
    (export / "config.json").write_text(json.dumps({"name": "fake"}))
    return export


def test_parts_respect_the_cap_and_hold_every_tensor_in_float16(tmp_path):
    sizes = {f"layer{i}.weight": 40_000 for i in range(10)}  # 80 kB each in float16
    export = _fake_export(tmp_path, sizes)
    parts = pack(export, tmp_path / "out", max_bytes=64 * 1024 + 200_000)
    assert len(parts) == 5  # 200 kB of payload per part holds two 80 kB tensors: 10 tensors, 5 parts
    merged = {}
    for part in parts:
        assert part.stat().st_size <= 64 * 1024 + 200_000
        tensors, meta = load_safetensors(part)
        assert meta["packed"] == "float16"
        merged.update(tensors)
    original, _ = load_safetensors(export / "model.safetensors")
    assert list(merged) == list(original)
    for name, t in original.items():
        assert merged[name].dtype == torch.float16
        # float16 keeps an 11-bit significand: rounding is at most 2^-11 relative for normal values and
        # half the subnormal step (2^-25) below 2^-14
        assert torch.allclose(merged[name].float(), t, atol=2.0 ** -25, rtol=2.0 ** -11)
    assert json.loads((tmp_path / "out" / "config.json").read_text()) == {"name": "fake"}


def test_a_tensor_larger_than_a_part_is_an_error(tmp_path):
    export = _fake_export(tmp_path, {"huge.weight": 100_000})
    with pytest.raises(SystemExit, match="huge.weight"):
        pack(export, tmp_path / "out", max_bytes=64 * 1024 + 1000)


def test_missing_export_files_are_named(tmp_path):
    with pytest.raises(SystemExit, match="model.safetensors"):
        pack(tmp_path, tmp_path / "out", max_bytes=1 << 20)
