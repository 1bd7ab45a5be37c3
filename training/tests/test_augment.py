"""Augmentation: one transform per clip, labels/depth stay aligned with RGB, depth scales with zoom."""
import random

import pytest
import torch

from mila.augment import AugmentSpec, augment_batch
from mila.data import ClipBatch


def _clip(b=2, t=3, h=32, w=64):
    g = torch.Generator().manual_seed(0)
    # 8x8 blocks of one class: block interiors survive bilinear resizing unmixed
    blocks = torch.randint(0, 19, (b, 1, h // 8, w // 8), generator=g)
    labels = blocks.repeat_interleave(8, 2).repeat_interleave(8, 3).expand(b, t, h, w).clone()
    # rgb encodes the label (so alignment is checkable); depth is a horizontal ramp
    rgb = (labels * 12).to(torch.uint8)[..., None].expand(b, t, h, w, 3).clone()
    depth = torch.linspace(1, 50, w).expand(b, t, h, w).clone()
    return ClipBatch(rgb, labels, depth)


def test_identity_spec_returns_the_batch():
    batch = _clip()
    assert augment_batch(batch, AugmentSpec(), random.Random(0)) is batch


def test_flip_and_scale_keep_labels_aligned_with_rgb_and_frames_identical():
    spec = AugmentSpec(scale=(1.2, 1.6), hflip=True)
    for seed in range(5):
        out = augment_batch(_clip(), spec, random.Random(seed))
        lab = out.labels.flatten(0, 1)[:, None].float()
        # pixels whose 5x5 neighbourhood has one label: bilinear RGB there must equal the label's value
        uniform = (torch.nn.functional.max_pool2d(lab, 5, 1, 2) == -torch.nn.functional.max_pool2d(-lab, 5, 1, 2))
        interior = uniform[:, 0].view_as(out.labels) & (out.labels != 255)
        interior[..., :2, :] = interior[..., -2:, :] = False  # at the crop's edge the neighbourhood is cut off
        interior[..., :, :2] = interior[..., :, -2:] = False
        assert interior.float().mean() > 0.1
        expected = (out.labels * 12).to(torch.int16)
        assert (out.rgb[..., 0].to(torch.int16) - expected)[interior].abs().max() <= 1
        # one transform per clip: every frame of a clip is identical, as the input frames were
        assert torch.equal(out.rgb[:, 0], out.rgb[:, 2]) and torch.equal(out.depth[:, 0], out.depth[:, 1])


def test_zoom_divides_depth_by_the_scale():
    batch = _clip(b=1, t=1, h=24, w=48)
    batch = ClipBatch(batch.rgb, batch.labels, torch.full_like(batch.depth, 30.0))
    out = augment_batch(batch, AugmentSpec(scale=(1.5, 1.5)), random.Random(1))
    # 30 / 1.5 in float32 after resampling a constant (weights summing to 1 within a few 2^-24): a few ulps of
    # 20 (~2e-6); allclose's default rtol 1e-5 (2e-4 at 20) bounds that and still fails on an unscaled 30
    assert torch.allclose(out.depth, torch.full_like(out.depth, 20.0))


def test_shrink_pads_with_unlabelled_no_depth_pixels():
    out = augment_batch(_clip(b=1), AugmentSpec(scale=(0.5, 0.5)), random.Random(0))
    assert (out.labels == 255).any() and (out.depth[out.labels == 255] == 0).all()


def test_photometric_changes_rgb_only_and_stays_in_range():
    batch = _clip()
    out = augment_batch(batch, AugmentSpec(brightness=0.3, contrast=0.3, saturation=0.3, gamma=0.3), random.Random(3))
    assert torch.equal(out.labels, batch.labels) and torch.equal(out.depth, batch.depth)
    assert not torch.equal(out.rgb, batch.rgb)


def test_random_conv_recolours_rgb_only_alike_on_every_frame_and_is_seeded():
    batch = _clip()  # grey (R = G = B) frames
    spec = AugmentSpec(random_conv=1.0)
    outs = [augment_batch(batch, spec, random.Random(seed)) for seed in range(6)]
    for out in outs:
        assert torch.equal(out.labels, batch.labels) and torch.equal(out.depth, batch.depth)
        assert torch.equal(out.rgb[:, 0], out.rgb[:, 2])  # one filter for the whole clip
    # a random 3->3 filter mixes the channels: grey frames come out coloured (unless the blend kept ~all grey)
    coloured = [(o.rgb[..., 0].int() - o.rgb[..., 1].int()).abs().float().mean() > 2 for o in outs]
    assert sum(coloured) >= 3
    assert torch.equal(augment_batch(batch, spec, random.Random(4)).rgb, outs[4].rgb)


def test_random_conv_keeps_brightness_and_contrast():
    g = torch.Generator().manual_seed(1)
    rgb = torch.randint(40, 200, (1, 2, 32, 64, 3), generator=g, dtype=torch.uint8)
    batch = ClipBatch(rgb, torch.zeros(1, 2, 32, 64, dtype=torch.long), torch.ones(1, 2, 32, 64))
    for seed in range(5):
        out = augment_batch(batch, AugmentSpec(random_conv=1.0), random.Random(seed)).rgb.float()
        # standardised to the clip's mean and std before blending; clamping to [0, 255] moves them a little
        assert abs(out.mean() - rgb.float().mean()) < 8 and 0.5 < out.std() / rgb.float().std() < 1.05


def test_random_conv_probability_is_per_clip():
    batch = _clip(b=1)
    spec = AugmentSpec(random_conv=0.5)
    changed = [not torch.equal(augment_batch(batch, spec, random.Random(seed)).rgb, batch.rgb) for seed in range(40)]
    assert 8 <= sum(changed) <= 32  # Binomial(40, 0.5): outside this range with probability < 1e-4


def test_bad_specs_are_rejected():
    with pytest.raises(ValueError, match="unknown"):
        AugmentSpec.from_json({"rotate": 5})
    with pytest.raises(ValueError, match="scale"):
        AugmentSpec.from_json({"scale": [2.0, 1.0]})
    with pytest.raises(ValueError, match="brightness"):
        AugmentSpec.from_json({"brightness": 1.5})
    with pytest.raises(ValueError, match="random_conv"):
        AugmentSpec.from_json({"random_conv": 1.5})
