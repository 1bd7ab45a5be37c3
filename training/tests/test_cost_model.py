import torch
from torch import nn

from mila.config import load_config
from mila.cost_model import cost_model
from mila.mila_model import MilaModel, push_memory

from helpers import CONFIG_DIR, tiny_config


def _count_conv_flops(module: nn.Module, fn) -> float:
    total = [0.0]

    def hook(m, inp, out):
        kh, kw = m.kernel_size
        total[0] += 2.0 * out.shape[2] * out.shape[3] * kh * kw * m.in_channels * m.out_channels * out.shape[0]

    handles = [m.register_forward_hook(hook) for m in module.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        fn()
    for h in handles:
        h.remove()
    return total[0]


def test_cost_model_matches_counted_convolutions():
    for os_ in (16, 8):
        cfg = tiny_config(outputStride=os_)
        model = MilaModel(cfg).eval()
        x = torch.randn(1, 3, cfg.input.height, cfg.input.width)
        cost = cost_model(cfg)
        slow = _count_conv_flops(model, lambda: model.run_keyframe(x))
        fast_only = _count_conv_flops(model, lambda: model.run_fast_only(x))
        # float64 sums of integer FLOP counts (exact below 2^53) divided by 1e9: 1e-9 relative is the
        # order of one division's rounding (1.1e-16) times the ~1e7 terms summed in the reference at worst
        assert abs(slow / 1e9 - cost.slow_gflops) < 1e-9 * max(1.0, slow / 1e9)
        assert abs(fast_only / 1e9 - cost.fast_only_gflops) < 1e-12 + 1e-9 * fast_only / 1e9
        _, entry = model.run_keyframe(x)
        memory = push_memory(push_memory([], entry, 2), entry, 2)
        fast_convs = _count_conv_flops(model, lambda: model.run_fast_frame(x, memory))
        h, w = cfg.input.height // os_, cfg.input.width // os_
        attention = 2 * 2.0 * h * w * 2 * cfg.ila.window ** 2 * (cfg.ila.key_channels + cfg.task_channels)
        assert abs((fast_convs + attention) / 1e9 - cost.fast_gflops) < 1e-9 * cost.fast_gflops
        assert cost.average_gflops(1) == cost.slow_gflops
        assert cost.average_gflops(4) == (cost.slow_gflops + 3 * cost.fast_gflops) / 4


def test_full_config_ratio_is_plausible():
    cost = cost_model(load_config(CONFIG_DIR / "mila-d101-d18.json"))
    # ResNet-18 is a small fraction of DeepLab-ResNet-101 at the same output stride
    assert 0.05 < cost.fast_gflops / cost.slow_gflops < 0.4
    assert cost.average_gflops(10) < 0.5 * cost.slow_gflops
