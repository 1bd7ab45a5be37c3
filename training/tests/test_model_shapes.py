import pytest
import torch

from mila.mila_model import MilaModel, normalize_rgb, push_memory
from mila.resnet import ResNetEncoder

from helpers import tiny_config


@pytest.mark.parametrize("depth,os_,channels", [(18, 16, 32), (18, 8, 32), (50, 16, 128), (101, 8, 128)])
def test_encoder_output_stride_and_width(depth, os_, channels):
    enc = ResNetEncoder(depth, base_width=4, output_stride=os_).eval()
    with torch.no_grad():
        y = enc(torch.randn(1, 3, 64, 96))
    assert tuple(y.shape) == (1, channels, 64 // os_, 96 // os_)


def test_dilation_follows_torchvision_first_block_rule():
    enc = ResNetEncoder(18, base_width=4, output_stride=8)
    # OS8: layer3 dilated (2), layer4 (4); each layer's first block keeps the previous dilation
    assert enc.layer3[0].conv1.dilation == (1, 1) and enc.layer3[0].conv2.dilation == (1, 1)
    assert enc.layer3[1].conv1.dilation == (2, 2) and enc.layer3[1].conv1.padding == (2, 2)
    assert enc.layer4[0].conv1.dilation == (2, 2) and enc.layer4[0].conv1.stride == (1, 1)
    assert enc.layer4[1].conv2.dilation == (4, 4)
    enc50 = ResNetEncoder(50, base_width=4, output_stride=16)
    assert enc50.layer3[0].conv2.stride == (2, 2) and enc50.layer4[0].conv2.dilation == (1, 1)
    assert enc50.layer4[0].conv2.stride == (1, 1) and enc50.layer4[1].conv2.dilation == (2, 2)
    assert enc50.layer1[0].downsample is not None and enc50.layer1[1].downsample is None


def test_parameter_names_follow_the_contract():
    model = MilaModel(tiny_config())
    names = set(model.exported_state_dict())
    for name in ["slow.encoder.conv1.weight", "slow.encoder.bn1.running_var",
                 "slow.encoder.layer1.0.conv3.weight", "slow.encoder.layer1.0.downsample.0.weight",
                 "slow.encoder.layer2.0.downsample.1.running_mean",
                 "slow.aspp.branches.0.conv.weight", "slow.aspp.branches.3.bn.bias",
                 "slow.aspp.pool.conv.weight", "slow.aspp.pool.conv.bias",
                 "slow.aspp.project.conv.weight", "slow.aspp.project.bn.weight",
                 "slow.proj.conv.weight", "slow.proj.bn.running_mean",
                 "fast.encoder.layer4.1.conv2.weight", "fast.proj.conv.weight",
                 "decoders.segmentation.conv.weight", "decoders.depth.bn.weight",
                 "decoders.segmentation.head.bias", "decoders.depth.head.weight",
                 "ila.segmentation.query.weight", "ila.depth.key.bias",
                 "ila.segmentation.fuse.conv.weight", "ila.depth.fuse.bn.running_var"]:
        assert name in names, name
    assert not any(n.startswith("fast.aspp") or n.endswith("num_batches_tracked") for n in names)
    # convs followed by BN carry no bias
    assert "slow.proj.conv.bias" not in names and "fast.encoder.conv1.bias" not in names

    shared = MilaModel(tiny_config(ila={"window": 3, "keyChannels": 8, "memory": 2, "taskSpecific": False}),
                       with_discriminator=True)
    names = set(shared.exported_state_dict())
    assert {"ila.shared.query.weight", "ila.shared.key.bias", "ila.depth.fuse.conv.weight"} <= names
    assert "ila.segmentation.query.weight" not in names
    assert not any(n.startswith("discriminator") for n in names)
    assert "discriminator.convs.4.weight" in shared.state_dict()


@pytest.mark.parametrize("task_specific", [True, False])
def test_run_keyframe_fast_frame_and_fast_only_shapes(task_specific):
    cfg = tiny_config(ila={"window": 5, "keyChannels": 8, "memory": 2, "taskSpecific": task_specific})
    model = MilaModel(cfg).eval()
    h, w = cfg.input.height, cfg.input.width
    x = normalize_rgb(torch.randint(0, 256, (2, h, w, 3), dtype=torch.uint8), cfg)
    assert tuple(x.shape) == (2, 3, h, w)
    with torch.no_grad():
        out, entry = model.run_keyframe(x)
        memory = push_memory([], entry, cfg.ila.memory)
        fast1 = model.run_fast_frame(x, memory)
        memory = push_memory(memory, model.run_keyframe(x)[1], cfg.ila.memory)
        memory = push_memory(memory, entry, cfg.ila.memory)
        assert len(memory) == 2 and memory[0] is entry
        fast2 = model.run_fast_frame(x, memory)
        only = model.run_fast_only(x)
    n = cfg.segmentation.num_classes
    fh, fw = h // cfg.output_stride, w // cfg.output_stride
    assert tuple(entry.feature.shape) == (2, cfg.feature_channels, fh, fw)
    assert tuple(entry.values["depth"].shape) == (2, cfg.task_channels, fh, fw)
    for o in (out, fast1, fast2, only):
        assert tuple(o["segmentation"].shape) == (2, n, h, w)
        assert tuple(o["depth"].shape) == (2, 1, h, w)
        assert float(o["depth"].min()) >= 0 and float(o["depth"].max()) <= cfg.depth.max_depth
    with pytest.raises(ValueError, match="at least one keyframe"):
        model.run_fast_frame(x, [])
    with pytest.raises(ValueError, match=r"\[B,3,H,W\]"):
        model.run_fast_only(x[:, :2])


@pytest.mark.parametrize("depth", [18, 50, 101])
def test_set_output_stride_rewires_like_a_fresh_encoder(depth):
    from torch import nn

    from mila.resnet import ResNetEncoder

    def wiring(m):
        return [(n, c.stride, c.dilation, c.padding) for n, c in m.named_modules() if isinstance(c, nn.Conv2d)]

    enc = ResNetEncoder(depth, 4, 8)
    enc.set_output_stride(16)
    assert wiring(enc) == wiring(ResNetEncoder(depth, 4, 16)) and enc.output_stride == 16
    assert enc(torch.zeros(1, 3, 64, 64)).shape[-1] == 4
    enc.set_output_stride(8)
    assert wiring(enc) == wiring(ResNetEncoder(depth, 4, 8))
    with pytest.raises(ValueError):
        enc.set_output_stride(4)
