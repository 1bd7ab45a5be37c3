"""Training checkpoints: the full state (discriminator included) + the config, for resuming and export."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Tuple

import torch

from .config import ModelConfig, parse_config
from .mila_model import MilaModel

CHECKPOINT_FORMAT = "mila-web/1-checkpoint"


def save_checkpoint(model: MilaModel, path: str | Path, stages_done: List[str]) -> None:
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    # the config as a JSON string: torch 1.13's weights_only unpickler cannot read Python floats
    torch.save({"format": CHECKPOINT_FORMAT, "config": json.dumps(model.config.to_json()), "model": state,
                "stages_done": list(stages_done)}, str(path))


def load_checkpoint(path: str | Path, with_discriminator: bool = True) -> Tuple[MilaModel, List[str]]:
    """Rebuild the model of a checkpoint (its own config) on the CPU."""
    p = Path(path)
    try:
        blob = torch.load(str(p), map_location="cpu", weights_only=True)  # tensors + plain data only
    except Exception as e:  # torch raises many types for a corrupt or foreign file (struct.error, UnpicklingError, ...)
        raise ValueError(f"{p}: cannot read checkpoint: {e}") from e
    if not isinstance(blob, dict) or blob.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{p}: not a {CHECKPOINT_FORMAT} file")
    config: ModelConfig = parse_config(json.loads(blob["config"]), f"{p}:config")
    model = MilaModel(config, with_discriminator=with_discriminator)
    state = blob["model"]
    if not with_discriminator:
        state = {k: v for k, v in state.items() if not k.startswith("discriminator.")}
    model.load_state_dict(state)
    return model, list(blob.get("stages_done", []))
