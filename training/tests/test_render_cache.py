"""The rendered-data cache: a cached frame is exactly a direct render; keys; resumable building."""
from pathlib import Path

import numpy as np
import pytest
import torch

from mila.data import CachedStreetDataset
from mila.render_cache import CacheSpec, build_cache, load_units
from mila.street import render_clips

SPEC = CacheSpec(height=32, width=64, train_seeds=(1000001,), singles_per_seed=2, clip_seeds=(1000002,),
                 clip_frames=3, eval_seeds=(2,), eval_frames=2)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return build_cache(SPEC, tmp_path_factory.mktemp("cache"), workers=1)


def test_cached_frames_equal_direct_renders(cache):
    frames = SPEC.single_frames(1000001)
    got = load_units(cache, [("single", 1000001)])
    for i, f in enumerate(frames):
        direct = render_clips([1000001], 1, SPEC.height, SPEC.width, start_frame=f)
        assert np.array_equal(got["rgb"][0, i], direct.rgb[0, 0].numpy())
        assert np.array_equal(got["labels"][0, i], direct.labels[0, 0].numpy())
        # depth is stored as float16: equal to the float32 render rounded to float16
        assert np.array_equal(got["depth"][0, i], direct.depth[0, 0].numpy().astype(np.float16).astype(np.float32))
    start = SPEC.clip_start(1000002)
    clip = load_units(cache, [("clip", 1000002)])
    direct = render_clips([1000002], SPEC.clip_frames, SPEC.height, SPEC.width, start_frame=start)
    assert np.array_equal(clip["rgb"][0], direct.rgb[0].numpy())


def test_singles_are_spread_over_the_drive():
    spec = CacheSpec(32, 64, (1000001,), 6, (1000002,), 3, (2,), 2)
    frames = spec.single_frames(1000001)
    assert frames == sorted(frames) and len(set(frames)) == 6
    assert frames[-1] - frames[0] > 1000  # spread across the 60 s drive, not consecutive


def test_key_depends_on_size_seeds_and_renderer(monkeypatch):
    other = CacheSpec(32, 66, (1000001,), 2, (1000002,), 3, (2,), 2)
    assert SPEC.key() != other.key()
    assert SPEC.key() == CacheSpec(32, 64, (1000001,), 2, (1000002,), 3, (2,), 2).key()
    before = SPEC.key()
    monkeypatch.setattr("mila.render_cache.renderer_version", lambda: "changed")
    assert SPEC.key() != before


def test_rebuild_renders_only_missing_units(cache, monkeypatch):
    (cache / "clip-1000002.npz").unlink()
    rendered = []
    import mila.render_cache as rc

    real = rc.render_unit
    monkeypatch.setattr(rc, "render_unit", lambda spec, kind, seed: rendered.append((kind, seed)) or real(spec, kind, seed))
    build_cache(SPEC, cache.parent, workers=1)
    assert rendered == [("clip", 1000002)]


def test_eval_seeds_must_be_held_out():
    with pytest.raises(ValueError, match="overlap"):
        CacheSpec(32, 64, (2, 1000001), 2, (1000002,), 3, (2,), 2)


def test_dataset_reads_singles_clips_and_eval(cache):
    data = CachedStreetDataset(cache, SPEC, num_classes=19)
    import random

    rng = random.Random(0)
    single = data.sample(3, 1, rng)
    assert tuple(single.rgb.shape) == (3, 1, 32, 64, 3)
    clip = data.sample(2, 3, rng)
    assert tuple(clip.labels.shape) == (2, 3, 32, 64)
    with pytest.raises(ValueError, match="does not fit"):
        data.sample(1, 4, rng)
    (ev,) = list(data.eval_batches(2, 4))
    assert tuple(ev.depth.shape) == (1, 2, 32, 64) and ev.depth.dtype == torch.float32
