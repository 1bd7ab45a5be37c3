import random

import pytest
import torch

from mila.data import ClipBatch
from mila.mila_model import MilaModel, normalize_rgb
from mila.pseudo_labels import pseudo_label
from mila.train import FREEZE_POLICIES, _set_trainable

from fake_clips import FakeClips
from helpers import tiny_config


def _model_and_clip():
    torch.manual_seed(0)
    cfg = tiny_config(input={"height": 32, "width": 64, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]})
    model = MilaModel(cfg)
    clip = FakeClips(32, 64, cfg.segmentation.num_classes).sample(2, 4, random.Random(0))
    unlabelled = ClipBatch(clip.rgb, torch.full_like(clip.labels, 255), torch.zeros_like(clip.depth))
    return model, cfg, unlabelled


def test_the_slow_nets_own_class_and_depth_label_the_chosen_frames_only():
    model, cfg, clip = _model_and_clip()
    _set_trainable(model, FREEZE_POLICIES["slow+decoders"])
    out = pseudo_label(model, clip, [3, 1])
    with torch.no_grad():
        for t in (1, 3):
            slow = model.run_slow_only(normalize_rgb(clip.rgb[:, t], cfg))
            assert torch.equal(out.labels[:, t], slow["segmentation"].argmax(1))
            assert torch.allclose(out.depth[:, t], slow["depth"][:, 0])
    for t in (0, 2):
        assert bool((out.labels[:, t] == 255).all()) and bool((out.depth[:, t] == 0).all())
    assert torch.equal(out.rgb, clip.rgb) and bool((clip.labels == 255).all())  # the input is not changed
    assert model.slow.training is False and model.fast.training is True
    seg_only = pseudo_label(model, clip, [1], with_depth=False)  # only the renders teach depth
    assert torch.equal(seg_only.labels[:, 1], out.labels[:, 1]) and bool((seg_only.depth == 0).all())


def test_a_threshold_leaves_unsure_pixels_unlabelled():
    model, cfg, clip = _model_and_clip()
    _set_trainable(model, FREEZE_POLICIES["slow+decoders"])
    with torch.no_grad():
        prob = model.run_slow_only(normalize_rgb(clip.rgb[:, 0], cfg))["segmentation"].softmax(1).max(1).values
    threshold = float(prob.median())
    labels = pseudo_label(model, clip, [0], threshold).labels[:, 0]
    assert torch.equal(labels == 255, prob < threshold)


def test_a_teacher_that_trains_or_a_frame_outside_the_clip_is_refused():
    model, _, clip = _model_and_clip()
    _set_trainable(model, FREEZE_POLICIES["slow"])  # the decoders would train
    with pytest.raises(ValueError, match="must be frozen"):
        pseudo_label(model, clip, [1])
    _set_trainable(model, FREEZE_POLICIES["slow+decoders"])
    with pytest.raises(ValueError, match="outside the clip's 0..3"):
        pseudo_label(model, clip, [4])
    with pytest.raises(ValueError, match="threshold"):
        pseudo_label(model, clip, [1], 1.0)


def test_a_hand_labelled_clip_keeps_its_labels_and_takes_only_the_depth():
    model, cfg, clip = _model_and_clip()
    _set_trainable(model, FREEZE_POLICIES["slow+decoders"])
    labels = clip.labels.clone()
    labels[1, :, :8] = 3  # clip 1 is hand-labelled (coarsely: only a band of rows)
    mixed = ClipBatch(clip.rgb, labels, clip.depth)
    out = pseudo_label(model, mixed, [1, 2])
    plain = pseudo_label(model, clip, [1, 2])
    assert torch.equal(out.labels[1], labels[1])
    assert torch.equal(out.labels[0], plain.labels[0])
    assert torch.equal(out.depth, plain.depth)
