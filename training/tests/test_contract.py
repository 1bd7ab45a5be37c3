"""contract/fixtures/ against the training code: the same files tests/contract/*.test.ts runs against
src/runtime and src/eval, so a rule changed on one side only fails a test."""
import copy
import json
import re
from pathlib import Path

import pytest
import torch
from torch import nn

from mila.config import ConfigError, load_config, parse_config
from mila.cost_model import cost_model
from mila.evaluate import METRIC_UNITS, Accumulator
from mila.mila_model import MilaModel

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "contract" / "fixtures"
CASES = json.loads((FIXTURES / "configs.json").read_text())
GFLOPS = json.loads((FIXTURES / "gflops.json").read_text())["configs"]
WEIGHT_FILES = sorted((FIXTURES / "weights").glob("*.json"))
TABLE = json.loads((FIXTURES / "eval-table-keys.json").read_text())

# Every FLOP count is an integer below 2^53, exact in float64 whatever the summation order. A GFLOPs
# figure then takes at most four roundings on each side (the divisions by 1e9 and by K, a product and a
# sum, in either order), each within u = 2^-53 relative, so two correct implementations differ by at
# most 8u. Shared with tests/contract/gflopsContract.test.ts.
REL = 8 * 2.0 ** -53


def apply_patch(base, patch):
    """Deep copy of `base` with the patch applied, as tests/contract/contractFixtures.ts does."""
    if "replace" in patch:
        return copy.deepcopy(patch["replace"])
    doc = copy.deepcopy(base)

    def parent_of(dotted):
        *keys, last = dotted.split(".")
        node = doc
        for k in keys:
            node = node[int(k)] if isinstance(node, list) else node[k]
        return node, (int(last) if isinstance(node, list) else last)

    for path, value in patch.get("set", {}).items():
        node, key = parent_of(path)
        node[key] = copy.deepcopy(value)
    for path in patch.get("delete", []):
        node, key = parent_of(path)
        del node[key]
    for path in patch.get("pop", []):
        node, key = parent_of(path)
        node[key].pop()
    return doc


def value_at(doc, dotted):
    for k in dotted.split("."):
        doc = doc[k]
    return doc


@pytest.mark.parametrize("case", CASES["invalid"], ids=lambda c: c["name"])
def test_invalid_config_message(case):
    with pytest.raises(ConfigError) as err:
        parse_config(apply_patch(CASES["base"], case["patch"]), "case.json")
    assert str(err.value).startswith(f"case.json: {case['error']}"), str(err.value)


@pytest.mark.parametrize("case", CASES["valid"], ids=lambda c: c["name"])
def test_valid_config(case):
    parsed = parse_config(apply_patch(CASES["base"], case["patch"]), "case.json").to_json()
    for path, value in case["expect"].items():
        got = value_at(parsed, path)
        assert got == value and type(got) is type(value), (path, got)


def _shipped_configs():
    configs = sorted((ROOT / "training" / "configs").glob("*.json"))
    models = sorted(p / "model.json" for p in (ROOT / "public" / "models").iterdir() if p.is_dir())
    return configs + models


def _default_model_id() -> str:
    """The page's default model, as src/runtime/presets.ts names it (so this test follows a new default)."""
    match = re.search(r"DEFAULT_MODEL_ID = '([^']+)'", (ROOT / "src" / "runtime" / "presets.ts").read_text())
    assert match, "src/runtime/presets.ts no longer defines DEFAULT_MODEL_ID"
    return match.group(1)


def test_shipped_configs_include_the_street_model():
    names = [str(p.relative_to(ROOT)) for p in _shipped_configs()]
    default = f"public/models/{_default_model_id()}/model.json"
    assert "training/configs/mila-street-v1.json" in names and default in names


@pytest.mark.parametrize("path", [p for p in _shipped_configs() if p.exists()], ids=lambda p: "/".join(p.parts[-2:]))
def test_every_shipped_config_validates(path):
    load_config(path)


@pytest.mark.parametrize("path", WEIGHT_FILES, ids=lambda p: p.stem)
def test_weight_names_of_the_pytorch_model(path):
    fixture = json.loads(path.read_text())
    model = MilaModel(parse_config(fixture["config"], path.name))
    ours = []
    for name, mod in model.named_modules():
        if isinstance(mod, nn.Conv2d) and not name.startswith("discriminator."):
            cout, cin, kh, kw = mod.weight.shape
            ours += [[f"{name}.kernel", [kh, kw, cin, cout]], [f"{name}.bias", [cout]]]
    exported = {k.rsplit(".", 1)[0] for k in model.exported_state_dict() if k.endswith(".weight")}
    assert {w[0].rsplit(".", 1)[0] for w in ours} <= exported  # every conv is exported
    assert sorted(ours) == fixture["weights"]


@pytest.mark.parametrize("name", sorted(GFLOPS))
def test_cost_model_matches_counted_gflops(name):
    entry = GFLOPS[name]
    cost = cost_model(parse_config(entry["config"], name))
    got = {"slowGflops": cost.slow_gflops, "fastGflops": cost.fast_gflops, "fastOnlyGflops": cost.fast_only_gflops,
           "ilaGflops": cost.ila_gflops}
    want = {k: entry[k] for k in got}
    for k, v in entry["averageGflops"].items():
        got[f"K={k}"], want[f"K={k}"] = cost.average_gflops(int(k)), v
    for key in got:
        assert abs(got[key] - want[key]) <= REL * max(abs(got[key]), abs(want[key])), (key, got[key], want[key])


def test_evaluator_table_keys():
    acc = Accumulator(num_classes=3, ignore_index=255, max_depth=10.0)
    acc.update(torch.zeros(1, 2, 2, dtype=torch.long), torch.ones(1, 2, 2), torch.zeros(1, 2, 2, dtype=torch.long),
               torch.full((1, 2, 2), 2.0))
    summary = acc.summary()
    assert [k for k in summary if k in TABLE["metrics"]] == TABLE["metrics"]
    assert set(summary) - set(TABLE["metrics"]) == {"frames"}
    assert METRIC_UNITS == TABLE["units"]
