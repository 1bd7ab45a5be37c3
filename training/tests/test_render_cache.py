"""The rendered-data cache: a cached frame is exactly a direct render; keys; resumable building;
randomised training units."""
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from mila.data import CachedStreetDataset
from mila.render_cache import CacheSpec, Randomization, build_cache, load_units
from mila.street import render_clips

SPEC = CacheSpec(height=32, width=64, train_seeds=(1000001,), singles_per_seed=2, clip_seeds=(1000002,),
                 clip_frames=3, eval_seeds=(2,), eval_frames=2)


def record_renders(monkeypatch) -> list:
    """The (kind, seed) of every unit build_cache renders from now on (each still renders)."""
    import mila.render_cache as rc

    rendered, real = [], rc.render_unit
    monkeypatch.setattr(rc, "render_unit", lambda spec, kind, seed, device="cpu": rendered.append((kind, seed)) or real(spec, kind, seed, device))
    return rendered


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
    rendered = record_renders(monkeypatch)
    build_cache(SPEC, cache.parent, workers=1)
    assert rendered == [("clip", 1000002)]


def test_a_cache_with_more_seeds_links_the_units_a_sibling_has_and_renders_only_the_new_ones(tmp_path, monkeypatch):
    first = build_cache(SPEC, tmp_path, workers=1)
    rendered = record_renders(monkeypatch)
    more_clips = dataclasses.replace(SPEC, clip_seeds=(1000002, 1000003))
    second = build_cache(more_clips, tmp_path, workers=1)
    assert second != first and rendered == [("clip", 1000003)]
    for name in ("single-1000001.npz", "clip-1000002.npz", "eval-2.npz"):
        assert (second / name).read_bytes() == (first / name).read_bytes()
        assert (second / name).stat().st_ino == (first / name).stat().st_ino  # linked, not copied
    # a different clip length or size changes a unit's frames: nothing of that kind is borrowed
    rendered.clear()
    build_cache(dataclasses.replace(SPEC, clip_frames=4), tmp_path, workers=1)
    assert rendered == [("clip", 1000002)]
    rendered.clear()
    build_cache(dataclasses.replace(SPEC, width=66), tmp_path, workers=1)
    assert sorted(rendered) == [("clip", 1000002), ("eval", 2), ("single", 1000001)]


def test_units_of_another_renderer_version_are_never_borrowed(tmp_path, monkeypatch):
    build_cache(SPEC, tmp_path, workers=1)
    monkeypatch.setattr("mila.render_cache.renderer_version", lambda: "changed")
    rendered = record_renders(monkeypatch)
    build_cache(SPEC, tmp_path, workers=1)
    assert len(rendered) == 3


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


RANDOM_SPEC = CacheSpec(height=32, width=64, train_seeds=(1000001, 1000003, 1000004), singles_per_seed=1,
                        clip_seeds=(1000002,), clip_frames=2, eval_seeds=(2,), eval_frames=2,
                        randomize=Randomization(fraction=1.0))


def test_randomised_cache_keeps_eval_units_plain_and_randomises_training_units(tmp_path):
    from mila.street import RandomizeSpec, render_frames
    from mila.render_cache import render_unit

    # evaluation units are never randomised: bit-identical to the plain cache's
    assert not RANDOM_SPEC.is_randomized("eval", 2)
    for a, b in zip(render_unit(RANDOM_SPEC, "eval", 2).values(), render_unit(SPEC, "eval", 2).values()):
        assert np.array_equal(a, b)
    single = render_unit(RANDOM_SPEC, "single", 1000001)
    direct = render_frames(1000001, RANDOM_SPEC.single_frames(1000001), 32, 64, randomize=RandomizeSpec())
    assert np.array_equal(single["rgb"], direct.rgb[0].numpy())
    plain = render_frames(1000001, RANDOM_SPEC.single_frames(1000001), 32, 64)
    assert not np.array_equal(single["rgb"], plain.rgb[0].numpy())
    # the factor groups reach the renderer
    no_photo = dataclasses.replace(RANDOM_SPEC, randomize=Randomization(1.0, photometric=False))
    other = render_unit(no_photo, "single", 1000001)
    assert np.array_equal(other["labels"], single["labels"]) and not np.array_equal(other["rgb"], single["rgb"])


def test_randomised_fraction_is_a_stable_hash_of_the_seed():
    spec = dataclasses.replace(RANDOM_SPEC, train_seeds=tuple(range(1000000, 1000400)),
                               randomize=Randomization(fraction=0.3))
    chosen = [s for s in spec.train_seeds if spec.is_randomized("single", s)]
    # binomial(400, 0.3): mean 120, sd 9.2; 5 sd either side
    assert 74 < len(chosen) < 166
    assert chosen == [s for s in spec.train_seeds if spec.is_randomized("single", s)]
    wider = dataclasses.replace(spec, randomize=Randomization(fraction=0.6))
    assert set(chosen) <= {s for s in spec.train_seeds if wider.is_randomized("single", s)}
    assert not any(dataclasses.replace(spec, randomize=None).is_randomized("single", s) for s in spec.train_seeds)


def test_randomize_changes_the_key_and_round_trips_through_spec_json(tmp_path):
    assert RANDOM_SPEC.key() != dataclasses.replace(RANDOM_SPEC, randomize=None).key()
    assert RANDOM_SPEC.key() != dataclasses.replace(RANDOM_SPEC, randomize=Randomization(0.5)).key()
    assert RANDOM_SPEC.key() != dataclasses.replace(RANDOM_SPEC, randomize=Randomization(1.0, layouts=False)).key()
    whole = Randomization.from_json({"fraction": 1})
    assert isinstance(whole.fraction, float) and whole == Randomization.from_json({"fraction": 1.0})
    saved = json.loads(json.dumps(dataclasses.asdict(RANDOM_SPEC)))
    assert CacheSpec.from_saved(saved) == RANDOM_SPEC
    assert CacheSpec.from_saved(json.loads(json.dumps(dataclasses.asdict(SPEC)))) == SPEC


@pytest.mark.parametrize("block, message", [
    ({"fraction": 1.5}, "fraction"), ({"fraction": "half"}, "fraction"), ({"camera": True}, "fraction"),
    ({"fraction": 0.5, "lens": True}, "unknown"), ({"fraction": 0.5, "camera": "yes"}, "true or false"),
])
def test_bad_randomize_blocks_are_clear_errors(block, message):
    data = {"train_seeds": [1000000, 2], "singles_per_seed": 1, "clip_seeds": [1500000, 1], "clip_frames": 2,
            "eval_seeds": [2], "eval_frames": 2, "randomize": block}
    with pytest.raises(ValueError, match=message):
        CacheSpec.from_json(data, 32, 64, 100.0)


def test_the_next_recipe_mixes_plain_and_randomised_data_and_continues_the_default():
    from mila.recipe import load_recipe

    recipes = Path(__file__).resolve().parent.parent / "recipes"
    (path,) = recipes.glob("mila-street-v3_*.json")
    recipe = load_recipe(path)
    (previous,) = [p for p in recipes.glob("mila-street-v2_*.json") if load_recipe(p)["model"] == "mila-street-v2"]
    assert Path(recipe["init"]) == (recipes.parent / "runs" / load_recipe(previous)["name"] / "export").resolve()
    spec = CacheSpec.from_json(recipe["data"], 128, 256, 100.0)
    assert 0 < spec.randomize.fraction < 1 and spec.eval_seeds == (2, 3)


def _seeds(spec: CacheSpec, kind: str, start: int, randomized: bool, n: int):
    """The first n seeds from start that the spec's hash renders randomised (or plain)."""
    seeds, s = [], start
    while len(seeds) < n:
        if spec.is_randomized(kind, s) == randomized:
            seeds.append(s)
        s += 1
    return seeds


@pytest.fixture(scope="module")
def half_random_cache(tmp_path_factory):
    half = dataclasses.replace(RANDOM_SPEC, randomize=Randomization(fraction=0.5))
    singles = _seeds(half, "single", 1000001, True, 1) + _seeds(half, "single", 1000001, False, 2)
    clips = _seeds(half, "clip", 1500000, True, 1) + _seeds(half, "clip", 1500000, False, 1)
    spec = dataclasses.replace(half, train_seeds=tuple(singles), clip_seeds=tuple(clips))
    return spec, build_cache(spec, tmp_path_factory.mktemp("half"), workers=1)


def test_randomized_share_draws_that_share_from_the_randomised_units(half_random_cache):
    import random

    spec, folder = half_random_cache
    rng = random.Random(1)
    # share 1: only the randomised single (seed singles[0]) and the randomised clip come out
    only = CachedStreetDataset(folder, spec, num_classes=19, randomized_share=1.0)
    randomised_single = load_units(folder, [("single", spec.train_seeds[0])])["rgb"][0, 0]
    randomised_clip = load_units(folder, [("clip", spec.clip_seeds[0])])["rgb"][0]
    for _ in range(5):
        assert np.array_equal(only.sample(1, 1, rng).rgb[0, 0].numpy(), randomised_single)
        assert np.array_equal(only.sample(1, 2, rng).rgb[0].numpy(), randomised_clip)
    # share 0: never the randomised ones
    plain = CachedStreetDataset(folder, spec, num_classes=19, randomized_share=0.0)
    assert not any(np.array_equal(plain.sample(1, 1, rng).rgb[0, 0].numpy(), randomised_single) for _ in range(20))
    # share 0.7 of 2000 single draws, though the randomised single is 1 of 3 frames: binomial sd 10, 5 sd
    mixed = CachedStreetDataset(folder, spec, num_classes=19, randomized_share=0.7)
    hits = sum(np.array_equal(mixed.sample(1, 1, rng).rgb[0, 0].numpy(), randomised_single) for _ in range(2000))
    assert 1400 - 51 < hits < 1400 + 51
    # no share: uniform over frames, 1 in 3
    uniform = CachedStreetDataset(folder, spec, num_classes=19)
    hits = sum(np.array_equal(uniform.sample(1, 1, rng).rgb[0, 0].numpy(), randomised_single) for _ in range(2000))
    assert 667 - 53 < hits < 667 + 53


@pytest.mark.parametrize("share, message", [(1.5, r"in \[0, 1\]"), (-0.1, r"in \[0, 1\]"), (0.5, "no domain-randomised single")])
def test_bad_randomized_shares_are_clear_errors(cache, share, message):
    with pytest.raises(ValueError, match=message):
        CachedStreetDataset(cache, SPEC, num_classes=19, randomized_share=share)


def test_a_share_needs_plain_units_unless_it_is_one(tmp_path):
    spec = dataclasses.replace(RANDOM_SPEC, train_seeds=(1000001,), eval_seeds=(2,))
    folder = build_cache(spec, tmp_path, workers=1)
    with pytest.raises(ValueError, match="no plain single units"):
        CachedStreetDataset(folder, spec, num_classes=19, randomized_share=0.5)
    CachedStreetDataset(folder, spec, num_classes=19, randomized_share=1.0)


def test_render_device_uses_an_accelerator_only_when_it_agrees_with_the_cpu_and_is_faster(monkeypatch):
    import mila.render_cache as rc

    real = rc.render_unit
    kind, seed = SPEC.units()[0]
    reference = real(SPEC, kind, seed)
    # a fake accelerator answers at once (faster than the CPU's real render) with a given picture
    accelerator = lambda picture: lambda spec, kind, seed, device="cpu": (  # noqa: E731
        picture if device != "cpu" else real(spec, kind, seed))
    events = []
    monkeypatch.setattr(rc, "render_unit", accelerator({**reference, "labels": (reference["labels"] + 1) % 19}))
    assert rc.render_device(SPEC, "cuda", events.append) == "cpu"  # other content: not used
    assert events[-1]["agreement_with_cpu"]["labels_equal"] < 0.99 and events[-1]["tried"] == "cuda"
    monkeypatch.setattr(rc, "render_unit", accelerator(reference))
    assert rc.render_device(SPEC, "cuda", events.append) == "cuda"
    assert events[-1]["agreement_with_cpu"]["labels_equal"] == 1.0

    def slow(spec, kind, seed, device="cpu"):
        out = real(spec, kind, seed)
        if device != "cpu":
            real(spec, kind, seed)  # the same picture, at twice the CPU's time
        return out
    monkeypatch.setattr(rc, "render_unit", slow)
    assert rc.render_device(SPEC, "cuda", events.append) == "cpu"
    assert events[-1]["seconds"]["cuda"] > events[-1]["seconds"]["cpu"]


def test_render_device_falls_back_to_the_cpu_when_the_accelerator_fails():
    from mila.render_cache import render_device

    events = []
    assert render_device(SPEC, "cuda:99", events.append) == "cpu"  # no such device, here or on a GPU machine
    assert events[-1]["device"] == "cpu" and "error" in events[-1]
    assert render_device(SPEC, "cpu", events.append) == "cpu"
