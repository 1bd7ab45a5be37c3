"""mila.street public API: shapes, determinism, windows, argument checks, seed ranges."""
import pytest
import torch

from mila.street import (CLASS_COLORS, CLASS_NAMES, HELD_OUT_SEEDS, RENDERED_CLASSES, TRAIN_SEED_RANGE,
                         WORLD_SECONDS, render_clips)


def test_class_tables():
    assert len(CLASS_NAMES) == 19 and len(CLASS_COLORS) == 19
    assert CLASS_NAMES[0] == "road" and CLASS_NAMES[10] == "sky" and CLASS_NAMES[18] == "bicycle"
    assert len(RENDERED_CLASSES) >= 12 and set(RENDERED_CLASSES) <= set(range(19))


def test_shapes_types_and_ranges():
    clip = render_clips([4, 5], 2, height=40, width=72, max_depth=80.0)
    assert clip.rgb.shape == (2, 2, 40, 72, 3) and clip.rgb.dtype == torch.uint8
    assert clip.labels.shape == (2, 2, 40, 72) and clip.labels.dtype == torch.uint8
    assert clip.depth.shape == (2, 2, 40, 72) and clip.depth.dtype == torch.float32
    assert clip.poses.shape == (2, 2, 4, 4) and clip.intrinsics.shape == (2, 2, 3, 3)
    assert set(clip.labels.unique().tolist()) <= set(RENDERED_CLASSES)
    assert (clip.depth > 0).all() and (clip.depth <= 80.0).all()
    sky = clip.labels == 10
    assert sky.any() and (clip.depth[sky] == 80.0).all()
    R = clip.poses[..., :3, :3].double()
    # R is composed from float32 trig values and products (~10 roundings of 2^-24 per entry, |entries| <= 1);
    # R^T R sums 3 products of two such entries: <= 3 * 2 * 10 * 2^-24 = 3.6e-6, within atol 1e-5
    assert torch.allclose(R.transpose(-1, -2) @ R, torch.eye(3, dtype=torch.float64).expand_as(R), atol=1e-5)
    K = clip.intrinsics[0, 0]
    assert K[0, 2] == 36 and K[1, 2] == 20 and K[0, 0] == K[1, 1]
    # the two seeds are different worlds
    assert not torch.equal(clip.rgb[0], clip.rgb[1])


def test_same_seed_same_frames_bit_for_bit():
    a = render_clips([7], 2, height=32, width=64, start_frame=40)
    b = render_clips([7], 2, height=32, width=64, start_frame=40)
    for name in ("rgb", "labels", "depth", "poses", "intrinsics"):
        assert torch.equal(getattr(a, name), getattr(b, name)), name


def test_window_equals_the_same_frames_of_a_longer_render():
    full = render_clips([8], 5, height=32, width=64, start_frame=10)
    window = render_clips([8], 2, height=32, width=64, start_frame=13)
    # batching with another seed must not change a clip's frames either
    mixed = render_clips([9, 8], 2, height=32, width=64, start_frame=13)
    for name in ("rgb", "labels", "depth", "poses"):
        assert torch.equal(getattr(full, name)[:, 3:], getattr(window, name)), name
        assert torch.equal(getattr(mixed, name)[1:], getattr(window, name)), name


def test_frames_change_over_time_and_size_is_free():
    clip = render_clips([6], 2, height=24, width=100, start_frame=0, fps=5.0)
    assert clip.rgb.shape[2:4] == (24, 100)
    assert not torch.equal(clip.rgb[0, 0], clip.rgb[0, 1])
    assert not torch.equal(clip.poses[0, 0], clip.poses[0, 1])


@pytest.mark.parametrize("kwargs, message", [
    (dict(seeds=[], num_frames=1), "seeds"),
    (dict(seeds=[-1], num_frames=1), "seed"),
    (dict(seeds=["3"], num_frames=1), "seed"),
    (dict(seeds=[1], num_frames=0), "num_frames"),
    (dict(seeds=[1], num_frames=1, height=4), "height"),
    (dict(seeds=[1], num_frames=1, width=5000), "width"),
    (dict(seeds=[1], num_frames=1, fps=0), "fps"),
    (dict(seeds=[1], num_frames=1, max_depth=-1), "max_depth"),
    (dict(seeds=[1], num_frames=1, start_frame=-2), "start_frame"),
    (dict(seeds=[1], num_frames=10, start_frame=int(WORLD_SECONDS * 30)), "lasts"),
])
def test_bad_arguments_are_refused_clearly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        render_clips(**kwargs)


def test_training_and_held_out_seeds_are_disjoint():
    assert HELD_OUT_SEEDS.stop <= TRAIN_SEED_RANGE.start or TRAIN_SEED_RANGE.stop <= HELD_OUT_SEEDS.start
    assert len(HELD_OUT_SEEDS) >= 2 and len(TRAIN_SEED_RANGE) > 10 ** 6


def test_supersampling_smooths_rgb_and_keeps_the_ground_truth():
    a = render_clips([15], 1, height=48, width=96, start_frame=20)
    b = render_clips([15], 1, height=48, width=96, start_frame=20, supersample=2)
    assert torch.equal(a.labels, b.labels) and torch.equal(a.depth, b.depth)
    x, y = a.rgb[0, 0].float(), b.rgb[0, 0].float()
    assert not torch.equal(x, y) and (x - y).abs().mean() < 12
    tv = lambda img: (img[1:] - img[:-1]).abs().mean() + (img[:, 1:] - img[:, :-1]).abs().mean()
    assert tv(y) < tv(x)
    with pytest.raises(ValueError, match="supersample"):
        render_clips([15], 1, height=48, width=96, supersample=0)
