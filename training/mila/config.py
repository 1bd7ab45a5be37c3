"""Architecture config (docs/ARCHITECTURE.md "Architecture config"), shared with the runtime's model.json.

`parse_config` validates a JSON object against contract/model-config.schema.json (the one source of the
rules, shared with src/runtime/config.ts) and returns typed dataclasses; every error names the source and
the offending field, so a broken model.json is diagnosed without reading code.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Tuple

from .config_schema import find_violation, schema_default

FORMAT = "mila-web/1"
DEFAULT_IGNORE_INDEX = schema_default(["segmentation", "ignoreIndex"])
TASKS = ("segmentation", "depth")


class ConfigError(ValueError):
    """Raised for an invalid architecture config; the message names the source and the field."""


@dataclass(frozen=True)
class InputConfig:
    height: int
    width: int
    mean: Tuple[float, float, float]
    std: Tuple[float, float, float]


@dataclass(frozen=True)
class AsppConfig:
    channels: int
    rates: Tuple[int, ...]


@dataclass(frozen=True)
class NetConfig:
    depth: int
    base_width: int
    aspp: Optional[AsppConfig]


@dataclass(frozen=True)
class IlaConfig:
    window: int
    key_channels: int
    memory: int
    task_specific: bool


@dataclass(frozen=True)
class SegmentationConfig:
    classes: Tuple[str, ...]
    colors: Tuple[Tuple[int, int, int], ...]
    ignore_index: int

    @property
    def num_classes(self) -> int:
        return len(self.classes)


@dataclass(frozen=True)
class DepthConfig:
    max_depth: float


@dataclass(frozen=True)
class ModelConfig:
    name: str
    input: InputConfig
    output_stride: int
    feature_channels: int
    task_channels: int
    slow: NetConfig
    fast: NetConfig
    ila: IlaConfig
    segmentation: SegmentationConfig
    depth: DepthConfig
    format: str = FORMAT

    def to_json(self) -> dict:
        """The JSON object of the contract (camelCase keys), round-trips through `parse_config`."""

        def net(n: NetConfig) -> dict:
            return {"depth": n.depth, "baseWidth": n.base_width,
                    "aspp": None if n.aspp is None else
                    {"channels": n.aspp.channels, "rates": list(n.aspp.rates)}}

        return {
            "format": self.format,
            "name": self.name,
            "input": {"height": self.input.height, "width": self.input.width,
                      "mean": list(self.input.mean), "std": list(self.input.std)},
            "outputStride": self.output_stride,
            "featureChannels": self.feature_channels,
            "taskChannels": self.task_channels,
            "slow": net(self.slow),
            "fast": net(self.fast),
            "ila": {"window": self.ila.window, "keyChannels": self.ila.key_channels,
                    "memory": self.ila.memory, "taskSpecific": self.ila.task_specific},
            "segmentation": {"classes": list(self.segmentation.classes),
                             "colors": [list(c) for c in self.segmentation.colors],
                             "ignoreIndex": self.segmentation.ignore_index},
            "depth": {"maxDepth": self.depth.max_depth},
        }


def _net(o: dict) -> NetConfig:
    a = o.get("aspp")
    aspp = None if a is None else AsppConfig(int(a["channels"]), tuple(int(r) for r in a["rates"]))
    return NetConfig(int(o["depth"]), int(o["baseWidth"]), aspp)


def parse_config(data: Any, source: str = "config") -> ModelConfig:
    """Validate a parsed JSON object (a config or a whole model.json; extra keys are ignored) against
    contract/model-config.schema.json and return a ModelConfig, defaults filled in."""
    violation = find_violation(data)
    if violation is not None:
        raise ConfigError(f"{source}: {violation.text()}")
    i, la, s = data["input"], data["ila"], data["segmentation"]
    inp = InputConfig(int(i["height"]), int(i["width"]),
                      tuple(float(x) for x in i["mean"]), tuple(float(x) for x in i["std"]))
    ila = IlaConfig(int(la["window"]), int(la["keyChannels"]), int(la["memory"]), la["taskSpecific"])
    seg = SegmentationConfig(tuple(s["classes"]), tuple(tuple(int(v) for v in c) for c in s["colors"]),
                             int(s.get("ignoreIndex", DEFAULT_IGNORE_INDEX)))
    return ModelConfig(name=data["name"], input=inp, output_stride=int(data["outputStride"]),
                       feature_channels=int(data["featureChannels"]), task_channels=int(data["taskChannels"]),
                       slow=_net(data["slow"]), fast=_net(data["fast"]), ila=ila, segmentation=seg,
                       depth=DepthConfig(float(data["depth"]["maxDepth"])))


def load_config(path: str | Path) -> ModelConfig:
    """Read and validate a config JSON file (or a model.json, whose extra keys are ignored)."""
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as e:
        raise ConfigError(f"{p}: cannot read: {e}") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(f"{p}: not valid JSON: {e}") from e
    return parse_config(data, str(p))
