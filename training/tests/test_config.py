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


# Invalid configs and their messages: contract/fixtures/configs.json, run by test_contract.py (and by
# tests/contract/configContract.test.ts against the runtime's parser).


def test_load_config_reports_unreadable_and_invalid_json(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.json")
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_config(tmp_path / "broken.json")
