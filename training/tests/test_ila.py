import math

import pytest
import torch

from mila.ila import ila_attend, ila_attend_naive, window_validity


@pytest.mark.parametrize("b,m,d,t,h,w,window", [(2, 1, 4, 3, 5, 6, 3), (1, 2, 3, 2, 4, 7, 5),
                                                 (1, 2, 2, 3, 3, 3, 9)])
def test_ila_matches_naive_loop_including_borders(b, m, d, t, h, w, window):
    g = torch.Generator().manual_seed(7)
    q = torch.randn(b, d, h, w, generator=g, dtype=torch.float64)
    k = torch.randn(b, m, d, h, w, generator=g, dtype=torch.float64)
    v = torch.randn(b, m, t, h, w, generator=g, dtype=torch.float64)
    fast = ila_attend(q, k, v, window)
    ref = ila_attend_naive(q, k, v, window)
    assert fast.shape == (b, t, h, w)
    assert (fast - ref).abs().max() <= _rounding_bound(q, k, v, window, 2.0 ** -53)
    # float32 (what training and the runtime use) agrees too
    fast32 = ila_attend(q.float(), k.float(), v.float(), window).double()
    assert (fast32 - ref).abs().max() <= _rounding_bound(q, k, v, window, 2.0 ** -24)


def _rounding_bound(q, k, v, window, eps):
    """Worst-case rounding of the attention output, from the magnitudes compared. Each score is a d-term dot
    product: rounding the inputs and accumulating costs at most (d + 2) * eps * d * max|q| * max|k|. A softmax
    output sum_j w_j v_j moves by at most 2 * max|score error| * max|v| under such score errors, and the
    weighted sum itself rounds by at most (n + 2) * eps * max|v| for n candidates (m memories x window^2)."""
    d, n = q.shape[1], k.shape[1] * window * window
    score = (d + 2) * eps * d * q.abs().max() * k.abs().max()
    return float(2 * score * v.abs().max() + (n + 2) * eps * v.abs().max())


def test_corner_uses_only_in_map_candidates_masked_not_zero_padded():
    # all scores equal -> uniform weights over *valid* candidates; zero padding would pull the mean to 0
    h, w, window = 3, 4, 3
    q = torch.zeros(1, 2, h, w)
    k = torch.zeros(1, 1, 2, h, w)
    v = torch.arange(h * w, dtype=torch.float32).view(1, 1, 1, h, w) + 1.0
    out = ila_attend(q, k, v, window)
    assert out[0, 0, 0, 0].item() == pytest.approx((1 + 2 + 5 + 6) / 4)  # top-left: 2x2 valid neighbours
    assert out[0, 0, 1, 1].item() == pytest.approx(sum([1, 2, 3, 5, 6, 7, 9, 10, 11]) / 9)


def test_joint_softmax_over_memory_slots():
    # a single strongly matching key in slot 1 must win against slot 0 (one softmax across slots)
    q = torch.zeros(1, 1, 1, 1)
    q[0, 0, 0, 0] = 10.0
    k = torch.zeros(1, 2, 1, 1, 1)
    k[0, 1, 0, 0, 0] = 10.0
    v = torch.tensor([1.0, 5.0]).view(1, 2, 1, 1, 1)
    out = ila_attend(q, k, v, 1)
    w1 = 1 / (1 + math.exp(-100 / 1.0))
    assert out.item() == pytest.approx(w1 * 5 + (1 - w1) * 1)


def test_window_validity_counts():
    valid = window_validity(3, 3, 3)
    assert valid.shape == (9, 9)
    assert valid.sum(0).tolist() == [4, 6, 4, 6, 9, 6, 4, 6, 4]


def test_bad_shapes_are_rejected():
    with pytest.raises(ValueError, match="odd"):
        ila_attend(torch.zeros(1, 2, 3, 3), torch.zeros(1, 1, 2, 3, 3), torch.zeros(1, 1, 2, 3, 3), 4)
    with pytest.raises(ValueError, match="keys"):
        ila_attend(torch.zeros(1, 2, 3, 3), torch.zeros(1, 1, 3, 3, 3), torch.zeros(1, 1, 2, 3, 3), 3)
