import torch

from mila.discriminator import Discriminator, gradient_reversal


def test_gradient_reversal_flips_the_sign_and_scales():
    x = torch.randn(2, 3, requires_grad=True)
    w = torch.randn(2, 3)
    (gradient_reversal(x, 0.5) * w).sum().backward()
    # one float32 multiply by 0.5 (exact) on both sides: allclose's default rtol 1e-5 is far beyond any rounding
    assert torch.allclose(x.grad, -0.5 * w)
    y = torch.randn(2, 3, requires_grad=True)
    out = gradient_reversal(y)
    assert torch.equal(out, y)  # identity forward
    (out * w).sum().backward()
    assert torch.allclose(y.grad, -w)


def test_discriminator_structure_and_output():
    d = Discriminator(16)
    convs = [d.convs[i] for i in (0, 2, 4)]
    assert [(c.in_channels, c.out_channels, c.kernel_size, c.padding) for c in convs] == \
        [(16, 8, (3, 3), (1, 1)), (8, 4, (3, 3), (1, 1)), (4, 1, (3, 3), (1, 1))]
    f = torch.randn(3, 16, 4, 5)
    p = d(f)
    assert p.shape == (3,) and bool(((p > 0) & (p < 1)).all())
    assert torch.allclose(p, torch.sigmoid(d.logits(f)))


def test_reversed_gradient_reaches_the_feature_producer_but_not_the_discriminator():
    torch.manual_seed(0)
    producer = torch.nn.Conv2d(3, 8, 1)
    d = Discriminator(8)
    x = torch.randn(2, 3, 4, 4)
    f = producer(x)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(d.logits(gradient_reversal(f)), torch.ones(2))
    loss.backward()
    g_rev = producer.weight.grad.clone()
    d_rev = d.convs[0].weight.grad.clone()
    producer.zero_grad(); d.zero_grad()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(d.logits(producer(x)), torch.ones(2))
    loss.backward()
    # the same float32 backward pass in the same order, one sign apart: equal up to reduction-order rounding
    # (a few 2^-24 of the gradient), inside allclose's default rtol 1e-5
    assert torch.allclose(g_rev, -producer.weight.grad)
    assert torch.allclose(d_rev, d.convs[0].weight.grad)
