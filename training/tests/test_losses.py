import math

import pytest
import torch

from mila.losses import (MAX_CLASS_WEIGHT, DynamicWeightAverage, UncertaintyWeighting, adversarial_loss,
                         class_balanced_weights, depth_loss, make_weighting, segmentation_loss)

TASKS = ("segmentation", "depth")
# Each float32 loss below is a handful of ops (<= 5 roundings of 2^-24 = 3e-7 relative): pytest.approx's
# default rel 1e-6 and torch.isclose's rtol 1e-5 bound it; each expected value is computed in float64.


def test_segmentation_loss_ignores_255_and_handles_empty():
    logits = torch.tensor([[[[2.0, 0.0]], [[0.0, 5.0]]]])  # [1,2,1,2]
    labels = torch.tensor([[[0, 255]]])
    expected = -math.log(math.exp(2) / (math.exp(2) + 1))
    assert segmentation_loss(logits, labels).item() == pytest.approx(expected)
    empty = segmentation_loss(logits.requires_grad_(), torch.full((1, 1, 2), 255))
    assert empty.item() == 0.0 and empty.requires_grad


def test_class_weighted_segmentation_loss_is_the_weighted_mean():
    logits = torch.tensor([[[[2.0, 0.0, 1.0]], [[0.0, 5.0, 1.0]]]])  # [1,2,1,3]
    labels = torch.tensor([[[0, 1, 255]]])
    ce0 = -math.log(math.exp(2) / (math.exp(2) + 1))
    ce1 = -math.log(math.exp(5) / (math.exp(5) + 1))
    weights = torch.tensor([3.0, 0.5])
    expected = (3.0 * ce0 + 0.5 * ce1) / (3.0 + 0.5)
    assert segmentation_loss(logits, labels, class_weights=weights).item() == pytest.approx(expected)
    assert segmentation_loss(logits, labels, class_weights=torch.ones(2)).item() == pytest.approx(
        segmentation_loss(logits, labels).item())
    empty = segmentation_loss(logits.requires_grad_(), torch.full((1, 1, 3), 255), class_weights=weights)
    assert empty.item() == 0.0 and empty.requires_grad


def test_class_balanced_weights_favour_rare_classes_within_the_cap():
    counts = torch.tensor([9000, 900, 90, 1, 0])
    w = class_balanced_weights(counts, "sqrt-inverse-frequency")
    freq = counts.double() / counts.sum()
    assert float((freq * w.double()).sum()) == pytest.approx(1.0, rel=1e-6)  # the loss keeps its scale
    assert w[1] / w[0] == pytest.approx(math.sqrt(10), rel=1e-6) and w[2] / w[1] == pytest.approx(math.sqrt(10), rel=1e-6)
    assert w[3] / w[0] == pytest.approx(MAX_CLASS_WEIGHT, rel=1e-6)  # sqrt(9000) would be 95x: capped
    assert w[4] == w[3]  # a class the training data never shows gets the cap
    assert class_balanced_weights(counts, "none") is None
    with pytest.raises(ValueError, match="unknown class weighting"):
        class_balanced_weights(counts, "inverse")
    with pytest.raises(ValueError, match="all zero"):
        class_balanced_weights(torch.zeros(3), "sqrt-inverse-frequency")


def test_depth_loss_is_l1_on_valid_pixels():
    pred = torch.tensor([[[[1.0, 2.0, 3.0, 9.0]]]])
    gt = torch.tensor([[[2.0, 0.0, 5.0, float("inf")]]])
    assert depth_loss(pred, gt).item() == pytest.approx((1.0 + 2.0) / 2)
    assert depth_loss(pred, torch.zeros(1, 1, 4)).item() == 0.0


def test_uncertainty_weighting_matches_hand_computation():
    w = UncertaintyWeighting(TASKS)
    with torch.no_grad():
        w.log_vars.copy_(torch.tensor([0.0, math.log(2.0)]))
    losses = {"segmentation": torch.tensor(3.0), "depth": torch.tensor(4.0)}
    # 3 / (2 * 1) + 0 + 4 / (2 * 2) + log(2) / 2
    assert w(losses).item() == pytest.approx(1.5 + 1.0 + math.log(2) / 2)
    assert w.weights() == pytest.approx({"segmentation": 0.5, "depth": 0.25})
    total = w({"segmentation": torch.tensor(3.0), "depth": torch.tensor(4.0)})
    total.backward()
    # d/ds_i = -L_i / (2 exp(s_i)) + 1/2
    assert w.log_vars.grad.tolist() == pytest.approx([-1.5 + 0.5, -1.0 + 0.5])


def test_dwa_weights_match_hand_computation():
    dwa = DynamicWeightAverage(TASKS, temperature=2.0)
    assert dwa.weights() == {"segmentation": 1.0, "depth": 1.0}
    for seg, dep in [(4.0, 2.0), (2.0, 2.0)]:  # period 1 mean (3, 2)
        dwa({"segmentation": torch.tensor(seg), "depth": torch.tensor(dep)})
    dwa.end_period()
    assert dwa.weights() == {"segmentation": 1.0, "depth": 1.0}  # needs two periods
    dwa({"segmentation": torch.tensor(1.5), "depth": torch.tensor(3.0)})  # period 2 mean (1.5, 3)
    dwa.end_period()
    r_seg, r_dep = 1.5 / 3.0, 3.0 / 2.0
    e_seg, e_dep = math.exp(r_seg / 2), math.exp(r_dep / 2)
    expected = {"segmentation": 2 * e_seg / (e_seg + e_dep), "depth": 2 * e_dep / (e_seg + e_dep)}
    assert dwa.weights() == pytest.approx(expected)
    total = dwa({"segmentation": torch.tensor(1.0), "depth": torch.tensor(1.0)})
    assert total.item() == pytest.approx(sum(expected.values()))


def test_make_weighting_rejects_unknown():
    assert make_weighting("equal", TASKS)({"segmentation": torch.tensor(1.0), "depth": torch.tensor(2.0)}).item() == 3.0
    with pytest.raises(ValueError, match="unknown task weighting 'gradnorm'"):
        make_weighting("gradnorm", TASKS)


def test_adversarial_loss_labels_slow_one_fast_zero():
    big = torch.tensor([20.0])
    # log(1 + e^-20) = 2e-9 per term: a magnitude check (confident and right), not a rounding bound
    assert adversarial_loss(big, -big).item() < 1e-6
    assert adversarial_loss(-big, big).item() > 10


def test_log_depth_loss_is_relative_and_skips_pixels_without_depth():
    from mila.losses import depth_loss

    gt = torch.tensor([[[5.0, 100.0, 0.0]]])
    pred = torch.tensor([[[10.0, 200.0, 7.0]]])  # x2 everywhere; the 0 gt pixel has no depth
    assert torch.isclose(depth_loss(pred, gt, "log-l1"), torch.tensor(math.log(2.0)))
    assert torch.isclose(depth_loss(pred, gt, "l1"), torch.tensor(52.5))
    # a zero prediction stays finite (floored at MIN_DEPTH) and differentiable
    p = torch.zeros(1, 1, 3, requires_grad=True)
    depth_loss(p, gt, "log-l1").backward()
    assert torch.isfinite(p.grad).all()
    with pytest.raises(ValueError, match="unknown depth loss"):
        depth_loss(pred, gt, "l2")
