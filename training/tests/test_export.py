import json
import struct

import pytest
import torch

from mila.export import CONFIG_FILE, WEIGHTS_FILE, export_model, load_exported, randomize_batchnorm
from mila.mila_model import MilaModel, push_memory
from mila.safetensors_io import SafetensorsError, load_safetensors, save_safetensors

from helpers import tiny_config


def test_safetensors_layout_and_round_trip(tmp_path):
    tensors = {"a.weight": torch.arange(6, dtype=torch.float32).view(2, 3), "b": torch.tensor([1.5]),
               "c": torch.tensor(7, dtype=torch.int64)}
    path = tmp_path / "x.safetensors"
    save_safetensors(tensors, path, metadata={"format": "mila-web/1"})
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0
    header = json.loads(raw[8:8 + n])
    assert header["__metadata__"] == {"format": "mila-web/1"}
    assert header["a.weight"] == {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}
    assert header["b"]["data_offsets"] == [24, 28] and header["c"]["shape"] == []
    assert raw[8 + n:8 + n + 8] == struct.pack("<2f", 0.0, 1.0)  # little-endian fp32
    back, meta = load_safetensors(path)
    assert meta == {"format": "mila-web/1"} and list(back) == list(tensors)
    for k in tensors:
        assert torch.equal(back[k], tensors[k])


def test_safetensors_reader_rejects_bad_files(tmp_path):
    p = tmp_path / "bad.safetensors"
    p.write_bytes(b"\x01")
    with pytest.raises(SafetensorsError, match="too short"):
        load_safetensors(p)
    p.write_bytes(struct.pack("<Q", 1000) + b"{}")
    with pytest.raises(SafetensorsError, match="exceeds"):
        load_safetensors(p)
    header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}).encode()
    p.write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 8)
    with pytest.raises(SafetensorsError, match="do not fit"):
        load_safetensors(p)


def test_export_then_reload_gives_identical_outputs(tmp_path):
    torch.manual_seed(3)
    cfg = tiny_config()
    model = MilaModel(cfg, with_discriminator=True)
    randomize_batchnorm(model, torch.Generator().manual_seed(1))
    model.eval()
    export_model(model, tmp_path)
    assert (tmp_path / WEIGHTS_FILE).exists()
    assert json.loads((tmp_path / CONFIG_FILE).read_text()) == cfg.to_json()
    tensors, meta = load_safetensors(tmp_path / WEIGHTS_FILE)
    assert meta["format"] == "mila-web/1"
    assert set(tensors) == set(model.exported_state_dict())
    assert all(t.dtype == torch.float32 for t in tensors.values())

    loaded, cfg2 = load_exported(tmp_path)
    assert cfg2 == cfg
    x = torch.randn(1, 3, cfg.input.height, cfg.input.width)
    x2 = torch.randn(1, 3, cfg.input.height, cfg.input.width)
    with torch.no_grad():
        for m in (model, loaded):
            out, entry = m.run_keyframe(x)
            m._results = (out, m.run_fast_frame(x2, push_memory([], entry, 2)), m.run_fast_only(x2))
    for a, b in zip(model._results, loaded._results):
        for task in ("segmentation", "depth"):
            assert torch.equal(a[task], b[task])


def test_float16_export_is_half_the_size_and_loads_as_its_rounded_weights(tmp_path):
    torch.manual_seed(3)
    cfg = tiny_config()
    model = MilaModel(cfg)
    randomize_batchnorm(model, torch.Generator().manual_seed(1))
    model.eval()
    export_model(model, tmp_path / "f32")
    export_model(model, tmp_path / "f16", torch.float16)
    size = lambda d: (tmp_path / d / WEIGHTS_FILE).stat().st_size  # noqa: E731
    assert size("f16") < 0.55 * size("f32")
    tensors, _ = load_safetensors(tmp_path / "f16" / WEIGHTS_FILE)
    assert all(t.dtype == torch.float16 for t in tensors.values())
    loaded, _ = load_exported(tmp_path / "f16")
    assert all(p.dtype == torch.float32 for p in loaded.parameters())  # training goes on in float32
    # exactly the float16-rounded weights: the same model with its weights rounded gives the same outputs
    model.load_state_dict({k: v.half().float() for k, v in model.exported_state_dict().items()}, strict=False)
    x = torch.randn(1, 3, cfg.input.height, cfg.input.width)
    with torch.no_grad():
        a, b = model.run_slow_only(x), loaded.run_slow_only(x)
    assert torch.equal(a["segmentation"], b["segmentation"]) and torch.equal(a["depth"], b["depth"])


def test_load_exported_reports_mismatch(tmp_path):
    model = MilaModel(tiny_config())
    export_model(model, tmp_path)
    tensors, meta = load_safetensors(tmp_path / WEIGHTS_FILE)
    del tensors["slow.proj.conv.weight"]
    save_safetensors(tensors, tmp_path / WEIGHTS_FILE, meta)
    with pytest.raises(ValueError, match="missing.*slow.proj.conv.weight"):
        load_exported(tmp_path)


def test_the_kept_export_is_the_page_default_and_loads_for_training():
    """training/exports/ holds the shipped default's training weights (exports/README.md), so a later run
    on any machine continues it; the page's default (src/runtime/presets.ts) names which model that is."""
    import re
    from pathlib import Path

    from mila.train import load_init

    root = Path(__file__).resolve().parents[2]
    default = re.search(r"DEFAULT_MODEL_ID = '([^']+)'", (root / "src/runtime/presets.ts").read_text()).group(1)
    kept = sorted(p.name for p in (root / "training/exports").iterdir() if p.is_dir())
    assert kept == [default]
    model, config = load_init(str(root / "training/exports" / default))
    assert config.name == default and all(p.dtype == torch.float32 for p in model.parameters())
