"""Shared tiny configs for the tests (kept small: 2 CPU cores are shared)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from mila.config import ModelConfig, parse_config

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def tiny_config_json() -> dict:
    return json.loads((CONFIG_DIR / "tiny.json").read_text())


def tiny_config(**overrides) -> ModelConfig:
    """The tiny config with JSON-level overrides, e.g. tiny_config(outputStride=8)."""
    data = copy.deepcopy(tiny_config_json())
    for key, value in overrides.items():
        data[key] = value
    return parse_config(data, "tiny-test")
