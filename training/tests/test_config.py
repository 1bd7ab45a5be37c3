import copy
import json

import pytest

from mila.config import ConfigError, load_config, parse_config

from helpers import CONFIG_DIR, tiny_config_json


def test_shipped_configs_load_and_round_trip():
    for name in ("tiny.json", "mila-d101-d18.json"):
        cfg = load_config(CONFIG_DIR / name)
        assert parse_config(cfg.to_json(), name) == cfg
    full = load_config(CONFIG_DIR / "mila-d101-d18.json")
    assert (full.input.height, full.input.width, full.output_stride) == (256, 512, 16)
    assert (full.feature_channels, full.task_channels) == (256, 128)
    assert (full.slow.depth, full.fast.depth, full.slow.aspp.rates, full.fast.aspp) == (101, 18, (6, 12, 18), None)
    assert (full.ila.window, full.ila.key_channels, full.ila.memory, full.ila.task_specific) == (9, 64, 2, True)
    assert full.segmentation.num_classes == 19 and full.depth.max_depth == 100.0


def test_model_json_extra_keys_are_ignored():
    data = tiny_config_json()
    data["weightsManifest"] = [{"paths": [], "weights": []}]
    assert parse_config(data).name == "mila-tiny"


@pytest.mark.parametrize("mutate,needle", [
    (lambda d: d.pop("outputStride"), "outputStride: missing"),
    (lambda d: d.update(outputStride=32), "outputStride: must be 8 or 16"),
    (lambda d: d["slow"].update(depth=34), "slow.depth: must be one of"),
    (lambda d: d["ila"].update(window=4), "ila.window: must be odd"),
    (lambda d: d["ila"].update(taskSpecific="yes"), "ila.taskSpecific"),
    (lambda d: d["segmentation"]["colors"].pop(), "segmentation.colors: expected 19 entries"),
    (lambda d: d["segmentation"]["colors"][0].__setitem__(0, 300), "segmentation.colors[0]"),
    (lambda d: d["input"].update(height=65), "multiples of outputStride"),
    (lambda d: d.update(format="other/1"), "format"),
    (lambda d: d["depth"].update(maxDepth=-1), "depth.maxDepth"),
])
def test_bad_configs_name_the_field(mutate, needle):
    data = copy.deepcopy(tiny_config_json())
    mutate(data)
    with pytest.raises(ConfigError) as err:
        parse_config(data, "bad.json")
    assert "bad.json" in str(err.value) and needle in str(err.value)


def test_load_config_reports_unreadable_and_invalid_json(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.json")
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_config(tmp_path / "broken.json")
