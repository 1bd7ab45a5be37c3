"""Hand-computed checks of training/mila/metrics.py (the normative metric code)."""
import math
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mila.metrics import ConfusionMatrix, DepthErrors, valid_depth_limit, valid_depth_mask  # noqa: E402

MAX_DEPTH = 100.0  # the rendered data's and the bundled clips' max depth: sky is stored at exactly 100 m

# Two frames, 4 classes. Class 2 is absent from frame 2, class 3 has no gt pixel at all
# (but is predicted once), 255 pixels are ignored whatever is predicted there.
GT1 = [[0, 0, 1], [1, 255, 2]]
PRED1 = [[0, 1, 1], [1, 0, 0]]
GT2 = [[0, 0], [255, 1]]
PRED2 = [[0, 3], [3, 1]]
# Counted pairs (gt, pred): (0,0) (0,1) (1,1) (1,1) (2,0) | (0,0) (0,3) (1,1)
EXPECTED_MATRIX = [[2, 1, 0, 1], [0, 3, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]]


def two_frame_matrix(convert=np.array):
    cm = ConfusionMatrix(4, ignore_index=255)
    cm.update(convert(PRED1), convert(GT1))
    cm.update(convert(PRED2), convert(GT2))
    return cm


def test_confusion_matrix_counts_pixels_dataset_level():
    cm = two_frame_matrix()
    np.testing.assert_array_equal(cm.matrix, EXPECTED_MATRIX)
    assert cm.counted_pixels == 8


def test_class_breakdown_hand_computed():
    # the same case as tests/eval/metrics.test.ts: class 3 has no gt (no row), class 2 was drawn as 0
    rows = two_frame_matrix().class_breakdown()
    assert [r["classId"] for r in rows] == [0, 1, 2]
    expected = [
        {"gtShare": 50, "iou": 40, "recall": 50, "mostPredictedAs": 0, "mostPredictedShare": 50},
        {"gtShare": 37.5, "iou": 75, "recall": 100, "mostPredictedAs": 1, "mostPredictedShare": 100},
        {"gtShare": 12.5, "iou": 0, "recall": 0, "mostPredictedAs": 0, "mostPredictedShare": 100},
    ]
    for row, want in zip(rows, expected):
        assert {k: row[k] for k in want} == pytest.approx(want)


def test_iou_miou_accuracy_hand_computed():
    cm = two_frame_matrix()
    iou = cm.iou_per_class()
    # IoU0 = 2/(4+3-2), IoU1 = 3/(3+4-3), IoU2 = 0/(1+0-0), class 3 has no gt pixel -> NaN.
    # the metrics accumulate in float64 on small integer counts: a couple of 2^-53 roundings, far inside
    # assert_allclose's and pytest.approx's default rel 1e-7 / 1e-6 in this file
    np.testing.assert_allclose(iou[:3], [0.4, 0.75, 0.0])
    assert math.isnan(iou[3])
    assert cm.miou() == pytest.approx((0.4 + 0.75 + 0.0) / 3 * 100)
    assert cm.pixel_accuracy() == pytest.approx(5 / 8 * 100)


def test_accepts_torch_tensors():
    torch = pytest.importorskip("torch")
    cm = two_frame_matrix(lambda a: torch.tensor(a, dtype=torch.int64))
    np.testing.assert_array_equal(cm.matrix, EXPECTED_MATRIX)
    d = DepthErrors(MAX_DEPTH)
    d.update(torch.tensor([3.0, 1.0]), torch.tensor([2.0, 0.0]))
    assert d.abs() == pytest.approx(1.0)


def test_gt_labels_outside_the_class_range_are_not_counted():
    cm = ConfusionMatrix(2)
    cm.update(np.array([0, 1, 1]), np.array([0, 7, 255]))
    assert cm.counted_pixels == 1
    assert cm.miou() == pytest.approx(100.0)


def test_empty_matrix_gives_nan():
    cm = ConfusionMatrix(3)
    cm.update(np.array([1, 2]), np.array([255, 255]))
    assert math.isnan(cm.miou()) and math.isnan(cm.pixel_accuracy())


def test_bad_inputs_raise_clear_errors():
    cm = ConfusionMatrix(3)
    with pytest.raises(ValueError, match="shape"):
        cm.update(np.zeros((2, 2), dtype=np.int64), np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="outside"):
        cm.update(np.array([5]), np.array([1]))
    with pytest.raises(TypeError, match="integer"):
        cm.update(np.array([0.5]), np.array([1]))
    with pytest.raises(ValueError, match="num_classes"):
        ConfusionMatrix(0)


def test_depth_errors_skip_invalid_pixels():
    d = DepthErrors(MAX_DEPTH)
    gt = np.array([2.0, 0.0, np.inf, np.nan, 4.0, -1.0])
    pred = np.array([3.0, 5.0, 1.0, 1.0, 2.0, 7.0])
    d.update(pred, gt)
    assert d.count == 2
    assert d.abs() == pytest.approx((1 + 2) / 2)
    assert d.rel() == pytest.approx((1 / 2 + 2 / 4) / 2)


def test_depth_errors_accumulate_over_frames_by_pixel():
    d = DepthErrors(MAX_DEPTH)
    d.update(np.array([1.0]), np.array([2.0]))  # err 1, rel 0.5
    d.update(np.array([4.0, 4.0, 9.0]), np.array([4.0, 4.0, 0.0]))  # err 0, 0; last invalid
    assert d.abs() == pytest.approx(1 / 3)
    assert d.rel() == pytest.approx(0.5 / 3)


def test_depth_without_valid_pixels_is_nan():
    d = DepthErrors(MAX_DEPTH)
    d.update(np.array([1.0]), np.array([0.0]))
    assert math.isnan(d.abs()) and math.isnan(d.rel())


def test_sky_at_max_depth_and_beyond_is_not_counted():
    d = DepthErrors(MAX_DEPTH)
    gt = np.array([2.0, MAX_DEPTH, MAX_DEPTH, 250.0, np.inf, 99.5])
    pred = np.array([3.0, 1.0, 60.0, 7.0, 1.0, 99.0])
    d.update(pred, gt)
    assert d.count == 2  # 2 m and 99.5 m; sky (= max depth) and beyond have no measurement
    assert d.abs() == pytest.approx((1.0 + 0.5) / 2)
    assert d.rel() == pytest.approx((1.0 / 2.0 + 0.5 / 99.5) / 2)


def test_a_frame_whose_only_error_is_in_the_sky_has_abs_zero():
    gt = np.full((4, 6), MAX_DEPTH, dtype=np.float32)  # sky everywhere ...
    gt[2:] = np.arange(12, dtype=np.float32).reshape(2, 6) + 5.0  # ... but the two bottom rows
    pred = gt.copy()
    pred[:2] = 3.0  # wrong only in the sky
    d = DepthErrors(MAX_DEPTH)
    d.update(pred, gt)
    assert d.count == 12
    assert d.abs() == 0.0 and d.rel() == 0.0
    everything = DepthErrors(math.inf)  # without a max depth the sky would count
    everything.update(pred, gt)
    assert everything.count == 24 and everything.abs() > 40


def test_max_depth_is_compared_at_float32_precision():
    # float32(80.1) < 80.1: sky stored in float32 must still be excluded, in float64 callers too.
    sky32 = float(np.float32(80.1))
    assert sky32 < 80.1
    assert valid_depth_limit(80.1) == sky32
    assert not valid_depth_mask(np.array([sky32, 80.1]), 80.1).any()
    # float32(0.1) > 0.1: the bound stays 0.1 itself, so nothing at or above 0.1 counts.
    assert valid_depth_limit(0.1) == 0.1
    assert valid_depth_mask(np.array([0.0999, 0.1, float(np.float32(0.1))]), 0.1).tolist() == [True, False, False]
    assert valid_depth_limit(math.inf) == math.inf


def test_depth_errors_need_a_positive_max_depth():
    for bad in (0.0, -1.0, math.nan):
        with pytest.raises(ValueError, match="max_depth"):
            DepthErrors(bad)
    with pytest.raises(TypeError):
        DepthErrors()  # no silent default: the sky would be counted


SHARED_FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "eval", "fixtures", "metrics-fixture.json")


def test_shared_fixture_expected_depth_numbers():
    """The fixture src/eval's cross-check also uses (tests/eval/metricsCrossCheck.test.ts): same expected numbers."""
    import json

    with open(SHARED_FIXTURE) as fh:
        fixture = json.load(fh)
    gts = [np.array([float(v) for v in f["gtDepth"]]) for f in fixture["frames"]]  # "NaN", "Infinity"
    assert any((g == fixture["maxDepth"]).any() for g in gts) and any((g > fixture["maxDepth"]).any() for g in gts)
    d = DepthErrors(fixture["maxDepth"])
    for frame, gt in zip(fixture["frames"], gts):
        d.update(np.array(frame["predDepth"], dtype=np.float64), gt)
    expected = fixture["expected"]
    assert d.count == expected["depthCount"]
    # Both sides are float64 sums of the same <= 144 positive terms in different orders: relative error
    # <= 144 * 2^-53 ~ 1.6e-14 (plus an ulp per term and per division); 1e-12 bounds it with margin.
    assert d.abs() == pytest.approx(expected["depthAbs"], rel=1e-12, abs=0)
    assert d.rel() == pytest.approx(expected["depthRel"], rel=1e-12, abs=0)
