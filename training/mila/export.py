"""Export a MilaModel as `model.safetensors` (fp32 or fp16, BatchNorm not folded) + `config.json`, and re-load it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Tuple

import torch

from .config import ModelConfig, load_config
from .mila_model import MilaModel
from .safetensors_io import load_safetensors, save_safetensors

WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "config.json"


def export_model(model: MilaModel, out_dir: str | Path, dtype: torch.dtype = torch.float32) -> Path:
    """Write the runtime's weights and the architecture config; returns the directory. float16 halves
    the size of an export kept in git for later runs to continue (`init`); loading casts it back."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().to(dtype if v.is_floating_point() else v.dtype) for k, v in model.exported_state_dict().items()}
    save_safetensors(tensors, out / WEIGHTS_FILE, metadata={"format": model.config.format,
                                                            "name": model.config.name})
    (out / CONFIG_FILE).write_text(json.dumps(model.config.to_json(), indent=2) + "\n")
    return out


def load_exported(out_dir: str | Path) -> Tuple[MilaModel, ModelConfig]:
    """Rebuild the model from an export directory; every exported name must match the config's model."""
    out = Path(out_dir)
    config = load_config(out / CONFIG_FILE)
    tensors, _ = load_safetensors(out / WEIGHTS_FILE)
    model = MilaModel(config)
    expected = model.exported_state_dict()
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    if missing or unexpected:
        raise ValueError(f"{out / WEIGHTS_FILE}: weights do not match {out / CONFIG_FILE}: "
                         f"missing {missing[:5]}{'...' if len(missing) > 5 else ''}, "
                         f"unexpected {unexpected[:5]}{'...' if len(unexpected) > 5 else ''}")
    for name, t in tensors.items():
        if tuple(t.shape) != tuple(expected[name].shape):
            raise ValueError(f"{out / WEIGHTS_FILE}: {name} has shape {list(t.shape)}, "
                             f"the config needs {list(expected[name].shape)}")
    model.load_state_dict(tensors, strict=False)  # strict=False: num_batches_tracked is not exported
    model.eval()
    return model, config


@torch.no_grad()
def randomize_batchnorm(model: torch.nn.Module, generator: torch.Generator) -> None:
    """Non-trivial BN affine + running statistics, so BN folding is exercised by parity fixtures."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            n = m.num_features
            m.weight.copy_(0.5 + torch.rand(n, generator=generator))
            m.bias.copy_(0.2 * torch.randn(n, generator=generator))
            m.running_mean.copy_(0.2 * torch.randn(n, generator=generator))
            m.running_var.copy_(0.5 + torch.rand(n, generator=generator))
