"""Architecture config (docs/ARCHITECTURE.md "Architecture config"), shared with the runtime's model.json.

`parse_config` validates a JSON object and returns typed dataclasses; every error names the source and
the offending field, so a broken model.json is diagnosed without reading code.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Tuple

FORMAT = "mila-web/1"
SUPPORTED_DEPTHS = (18, 50, 101)
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


class _Reader:
    """Typed field access that reports `source: path.to.field: problem`."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: {path}: {problem}")

    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, got {type(value).__name__}")
        return value

    def get(self, obj: dict, key: str, path: str) -> Any:
        if key not in obj:
            raise self.fail(f"{path}.{key}" if path else key, "missing")
        return obj[key]

    def int_(self, value: Any, path: str, lo: int = 1) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"expected an integer, got {value!r}")
        if value < lo:
            raise self.fail(path, f"must be >= {lo}, got {value}")
        return value

    def num(self, value: Any, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(path, f"expected a finite number, got {value!r}")
        return float(value)

    def list_(self, value: Any, path: str, length: Optional[int] = None) -> list:
        if not isinstance(value, list):
            raise self.fail(path, f"expected an array, got {type(value).__name__}")
        if length is not None and len(value) != length:
            raise self.fail(path, f"expected {length} entries, got {len(value)}")
        return value


def _parse_net(r: _Reader, value: Any, path: str) -> NetConfig:
    o = r.obj(value, path)
    depth = r.int_(r.get(o, "depth", path), f"{path}.depth")
    if depth not in SUPPORTED_DEPTHS:
        raise r.fail(f"{path}.depth", f"must be one of {SUPPORTED_DEPTHS}, got {depth}")
    base_width = r.int_(r.get(o, "baseWidth", path), f"{path}.baseWidth")
    aspp_raw = o.get("aspp", None)
    aspp = None
    if aspp_raw is not None:
        a = r.obj(aspp_raw, f"{path}.aspp")
        channels = r.int_(r.get(a, "channels", f"{path}.aspp"), f"{path}.aspp.channels")
        rates = tuple(r.int_(x, f"{path}.aspp.rates[{i}]")
                      for i, x in enumerate(r.list_(r.get(a, "rates", f"{path}.aspp"),
                                                    f"{path}.aspp.rates", 3)))
        aspp = AsppConfig(channels, rates)
    return NetConfig(depth, base_width, aspp)


def parse_config(data: Any, source: str = "config") -> ModelConfig:
    """Validate a parsed JSON object (a config or a whole model.json) and return a ModelConfig."""
    r = _Reader(source)
    o = r.obj(data, "(root)")
    fmt = r.get(o, "format", "")
    if fmt != FORMAT:
        raise r.fail("format", f"expected {FORMAT!r}, got {fmt!r}")
    name = r.get(o, "name", "")
    if not isinstance(name, str) or not name:
        raise r.fail("name", f"expected a non-empty string, got {name!r}")

    i = r.obj(r.get(o, "input", ""), "input")
    mean = tuple(r.num(x, f"input.mean[{k}]") for k, x in enumerate(r.list_(r.get(i, "mean", "input"), "input.mean", 3)))
    std = tuple(r.num(x, f"input.std[{k}]") for k, x in enumerate(r.list_(r.get(i, "std", "input"), "input.std", 3)))
    if any(s <= 0 for s in std):
        raise r.fail("input.std", f"entries must be > 0, got {list(std)}")
    inp = InputConfig(r.int_(r.get(i, "height", "input"), "input.height"),
                      r.int_(r.get(i, "width", "input"), "input.width"), mean, std)

    os_ = r.int_(r.get(o, "outputStride", ""), "outputStride")
    if os_ not in (8, 16):
        raise r.fail("outputStride", f"must be 8 or 16, got {os_}")
    if inp.height % os_ or inp.width % os_:
        raise r.fail("input", f"height and width must be multiples of outputStride {os_}, got {inp.height}x{inp.width}")

    slow = _parse_net(r, r.get(o, "slow", ""), "slow")
    fast = _parse_net(r, r.get(o, "fast", ""), "fast")

    la = r.obj(r.get(o, "ila", ""), "ila")
    window = r.int_(r.get(la, "window", "ila"), "ila.window")
    if window % 2 == 0:
        raise r.fail("ila.window", f"must be odd, got {window}")
    ts = r.get(la, "taskSpecific", "ila")
    if not isinstance(ts, bool):
        raise r.fail("ila.taskSpecific", f"expected true or false, got {ts!r}")
    ila = IlaConfig(window, r.int_(r.get(la, "keyChannels", "ila"), "ila.keyChannels"),
                    r.int_(r.get(la, "memory", "ila"), "ila.memory"), ts)

    s = r.obj(r.get(o, "segmentation", ""), "segmentation")
    classes = r.list_(r.get(s, "classes", "segmentation"), "segmentation.classes")
    if not classes or not all(isinstance(c, str) and c for c in classes):
        raise r.fail("segmentation.classes", "expected a non-empty array of non-empty strings")
    colors_raw = r.list_(r.get(s, "colors", "segmentation"), "segmentation.colors", len(classes))
    colors = []
    for k, c in enumerate(colors_raw):
        rgb = r.list_(c, f"segmentation.colors[{k}]", 3)
        colors.append(tuple(r.int_(v, f"segmentation.colors[{k}][{j}]", 0) for j, v in enumerate(rgb)))
        if any(v > 255 for v in colors[-1]):
            raise r.fail(f"segmentation.colors[{k}]", f"entries must be 0..255, got {list(rgb)}")
    ignore = r.int_(s.get("ignoreIndex", 255), "segmentation.ignoreIndex", 0)
    if ignore < len(classes):
        raise r.fail("segmentation.ignoreIndex", f"must not be a class index (< {len(classes)}), got {ignore}")
    seg = SegmentationConfig(tuple(classes), tuple(colors), ignore)

    d = r.obj(r.get(o, "depth", ""), "depth")
    max_depth = r.num(r.get(d, "maxDepth", "depth"), "depth.maxDepth")
    if max_depth <= 0:
        raise r.fail("depth.maxDepth", f"must be > 0, got {max_depth}")

    return ModelConfig(name=name, input=inp, output_stride=os_,
                       feature_channels=r.int_(r.get(o, "featureChannels", ""), "featureChannels"),
                       task_channels=r.int_(r.get(o, "taskChannels", ""), "taskChannels"),
                       slow=slow, fast=fast, ila=ila, segmentation=seg, depth=DepthConfig(max_depth))


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
