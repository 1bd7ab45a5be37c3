"""Writes contract/fixtures/ (run: /usr/bin/python3 contract/make_fixtures.py).

The expectations do not come from either implementation under test:
- configs.json: hand-written cases (a base config, a patch, the expected message or parsed fields);
- weights/*.json: every Conv2d of the PyTorch model (training/mila/mila_model.py) as the TF.js weights
  `<module>.kernel` [kh,kw,cin,cout] and `<module>.bias` [cout] (BatchNorm folded by the converter);
- gflops.json: FLOPs counted from the output shapes of the convolutions PyTorch executes (forward
  hooks) plus ILA's attention, 2*h*w*M*L*L*(d + value width) per group, not from either cost model.
eval-table-keys.json is hand-written (the metric names of both evaluators' tables).
src/runtime and training/mila are then tested against these files (tests/contract/*.test.ts and
training/tests/test_contract.py).
"""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from mila.config import parse_config  # noqa: E402
from mila.mila_model import MilaModel, push_memory  # noqa: E402

OUT = ROOT / "contract" / "fixtures"
TINY = json.loads((ROOT / "training" / "configs" / "tiny.json").read_text())


def variant(**patch) -> dict:
    """The tiny config with dotted-path replacements, e.g. variant(**{"ila.window": 3})."""
    c = copy.deepcopy(TINY)
    for dotted, value in patch.items():
        *parents, last = dotted.split(".")
        node = c
        for p in parents:
            node = node[p]
        node[last] = value
    return c


# name -> config of the weight and GFLOPs fixtures: the shipped street model, the tiny test model and
# variants covering OS8, shared ILA, D18 slow, ASPP on the fast net, odd widths.
CONFIGS = {
    "mila-street-v1": json.loads((ROOT / "training" / "configs" / "mila-street-v1.json").read_text()),
    "tiny": TINY,
    "tiny-os8-shared": variant(**{"outputStride": 8, "ila.taskSpecific": False, "ila.window": 3, "ila.memory": 1}),
    "tiny-d18-slow-fast-aspp": variant(**{"slow.depth": 18, "slow.baseWidth": 6, "fast.aspp": {"channels": 8, "rates": [1, 2, 3]},
                                          "featureChannels": 12, "taskChannels": 6, "ila.memory": 3, "ila.keyChannels": 5}),
    "tiny-96x160-os8": variant(**{"input.height": 96, "input.width": 160, "outputStride": 8}),
}
KS = [1, 2, 5, 10, 30]


def config_cases() -> dict:
    m = 'must be'
    invalid = [
        ("format", {"set": {"format": "other/1"}}, f'field "format" {m} "mila-web/1" (got "other/1")'),
        ("empty name", {"set": {"name": ""}}, f'field "name" {m} a non-empty string (got "")'),
        ("missing input", {"delete": ["input"]}, f'field "input" {m} an object (got missing)'),
        ("input not divisible by the output stride", {"set": {"input.height": 72}},
         f'field "input.height" {m} a multiple of outputStride (16) (got 72)'),
        ("input too small", {"set": {"input.width": 4}}, f'field "input.width" {m} an integer in [8, 8192] (got 4)'),
        ("zero std", {"set": {"input.std.1": 0}}, f'field "input.std[1]" {m} a number > 0 (got 0)'),
        ("two means", {"set": {"input.mean": [0.5, 0.5]}}, f'field "input.mean" {m} an array of 3 items (got [0.5,0.5])'),
        ("output stride 32", {"set": {"outputStride": 32}}, f'field "outputStride" {m} one of 8, 16 (got 32)'),
        ("ResNet-34", {"set": {"slow.depth": 34}}, f'field "slow.depth" {m} one of 18, 50, 101 (got 34)'),
        ("zero base width", {"set": {"fast.baseWidth": 0}}, f'field "fast.baseWidth" {m} an integer in [1, 4096] (got 0)'),
        ("two ASPP rates", {"set": {"slow.aspp.rates": [6, 12]}}, f'field "slow.aspp.rates" {m} an array of 3 items (got [6,12])'),
        ("fractional channels", {"set": {"featureChannels": 1.5}}, f'field "featureChannels" {m} an integer in [1, 65536] (got 1.5)'),
        ("even ILA window", {"set": {"ila.window": 4}}, f'field "ila.window" {m} an odd integer in [1, 31] (got 4)'),
        ("ILA window above the cap", {"set": {"ila.window": 33}}, f'field "ila.window" {m} an odd integer in [1, 31] (got 33)'),
        ("ILA memory above the cap", {"set": {"ila.memory": 17}}, f'field "ila.memory" {m} an integer in [1, 16] (got 17)'),
        ("taskSpecific as a string", {"set": {"ila.taskSpecific": "yes"}}, f'field "ila.taskSpecific" {m} a boolean (got "yes")'),
        ("no classes", {"set": {"segmentation.classes": [], "segmentation.colors": []}},
         f'field "segmentation.classes" {m} an array of at least 1 item (got [])'),
        ("empty class name", {"set": {"segmentation.classes.0": ""}}, f'field "segmentation.classes[0]" {m} a non-empty string (got "")'),
        ("a colour missing", {"pop": ["segmentation.colors"]},
         f'field "segmentation.colors" {m} an array of 19 items (one per entry of segmentation.classes) (got '),
        ("colour out of range", {"set": {"segmentation.colors.3.2": 300}},
         f'field "segmentation.colors[3][2]" {m} an integer in [0, 255] (got 300)'),
        ("ignoreIndex is a class index", {"set": {"segmentation.ignoreIndex": 5}},
         f'field "segmentation.ignoreIndex" {m} at least 19, the length of segmentation.classes (it must not be a class index) (got 5)'),
        ("non-positive maxDepth", {"set": {"depth.maxDepth": -1}}, f'field "depth.maxDepth" {m} a number > 0 (got -1)'),
        ("not an object", {"replace": [1]}, f'field "(root)" {m} an object (got [1])'),
    ]
    valid = [
        ("the tiny config", {}, {"name": "mila-tiny", "segmentation.ignoreIndex": 255, "fast.aspp": None}),
        ("ignoreIndex omitted: 255", {"delete": ["segmentation.ignoreIndex"]}, {"segmentation.ignoreIndex": 255}),
        ("ignoreIndex equal to the class count", {"set": {"segmentation.ignoreIndex": 19}}, {"segmentation.ignoreIndex": 19}),
        ("aspp omitted: null", {"delete": ["fast.aspp"]}, {"fast.aspp": None}),
        ("OS8 at 64x128", {"set": {"outputStride": 8}}, {"outputStride": 8}),
        ("an integral float is an integer", {"set": {"input.height": 64.0}}, {"input.height": 64}),
        ("the ILA caps themselves", {"set": {"ila.window": 31, "ila.memory": 16}}, {"ila.window": 31, "ila.memory": 16}),
        ("extra keys are ignored", {"set": {"weightsManifest": []}}, {"name": "mila-tiny"}),
    ]
    return {
        "about": "Config cases for both validators. Each patch applies to `base`: set (dotted path, numeric "
                 "segments index arrays), delete, pop (drop an array's last entry), replace (the whole document). "
                 "Invalid: the message after `<source>: ` starts with `error`. Valid: the parsed config (camelCase) has "
                 "the `expect` values at the given paths.",
        "base": TINY,
        "invalid": [{"name": n, "patch": p, "error": e} for n, p, e in invalid],
        "valid": [{"name": n, "patch": p, "expect": e} for n, p, e in valid],
    }


def conv_weights(model: MilaModel) -> list:
    out = []
    for name, mod in model.named_modules():
        if isinstance(mod, nn.Conv2d) and not name.startswith("discriminator."):
            cout, cin, kh, kw = mod.weight.shape
            out.append([f"{name}.kernel", [kh, kw, cin, cout]])
            out.append([f"{name}.bias", [cout]])
    return sorted(out)


def counted_flops(model: MilaModel, fn) -> float:
    total = [0]

    def hook(m, _inp, y):
        kh, kw = m.kernel_size
        total[0] += 2 * y.shape[0] * y.shape[2] * y.shape[3] * kh * kw * m.in_channels * m.out_channels

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        fn()
    for h in handles:
        h.remove()
    return total[0]


def gflops_of(cfg_json: dict) -> dict:
    cfg = parse_config(cfg_json, "fixture")
    torch.manual_seed(0)
    model = MilaModel(cfg).eval()
    x = torch.randn(1, 3, cfg.input.height, cfg.input.width)
    slow = counted_flops(model, lambda: model.run_keyframe(x))
    fast_only = counted_flops(model, lambda: model.run_fast_only(x))
    with torch.no_grad():
        _, entry = model.run_keyframe(x)
    memory = []
    for _ in range(cfg.ila.memory):
        memory = push_memory(memory, entry, cfg.ila.memory)
    fast_convs = counted_flops(model, lambda: model.run_fast_frame(x, memory))
    h, w = cfg.input.height // cfg.output_stride, cfg.input.width // cfg.output_stride
    groups = 2 if cfg.ila.task_specific else 1
    value_width = cfg.task_channels * (1 if cfg.ila.task_specific else 2)
    attention = groups * 2 * h * w * cfg.ila.memory * cfg.ila.window ** 2 * (cfg.ila.key_channels + value_width)
    fast = fast_convs + attention
    ila = fast - fast_only
    return {"slowGflops": slow / 1e9, "fastGflops": fast / 1e9, "fastOnlyGflops": fast_only / 1e9, "ilaGflops": ila / 1e9,
            "averageGflops": {str(k): (slow + (k - 1) * fast) / k / 1e9 for k in KS}}


def main() -> None:
    torch.set_num_threads(1)
    (OUT / "weights").mkdir(parents=True, exist_ok=True)
    write = lambda path, obj: path.write_text(json.dumps(obj, indent=1) + "\n")  # noqa: E731
    write(OUT / "configs.json", config_cases())
    gflops = {}
    for name, cfg_json in CONFIGS.items():
        model = MilaModel(parse_config(cfg_json, name))
        write(OUT / "weights" / f"{name}.json", {"config": cfg_json, "weights": conv_weights(model)})
        gflops[name] = {"config": cfg_json, **gflops_of(cfg_json)}
        print(name, gflops[name]["slowGflops"], gflops[name]["fastGflops"])
    write(OUT / "gflops.json", {
        "about": "GFLOPs per frame (1 multiply-add = 2 FLOPs) counted from the convolutions PyTorch executes plus "
                 "ILA's attention; averageGflops[K] = (slow + (K-1) fast) / K.",
        "configs": gflops})


if __name__ == "__main__":
    main()
