"""Domain randomisation (mila.street.randomize): plain renders unchanged, determinism per seed,
every factor inside its range and visible in the image, labels and depth aligned with the RGB."""
import colorsys
import dataclasses
import hashlib

import numpy as np
import pytest
import torch

from mila.street import RandomizeSpec, render_clips, render_frames
from mila.street import classes as C
from mila.street import randomize as R
from mila.street.api import _render
from mila.street.camera_fx import blur, blur_kernel, distortion_grid
from mila.street.city import (BLOCK_PARK, BLOCK_PARKING, BLOCK_PLAZA, ZONE_ROAD, ZONE_SIDEWALK, ZONE_TERRAIN,
                              block_kind, ground_zone, park_path_params)
from mila.street.retexture import PHOTOS, pattern
from mila.street.scene import build_scene

# sha256 over rgb, labels and depth bytes of render_frames(2, [0, 59], 128, 256), computed with the
# renderer as it was before randomisation existed (commit 6231d84) on this project's CPU image:
# the evaluation seeds' plain renders must stay bit-identical. It pins torch's CPU float results too;
# after a torch upgrade, recompute it from that commit, not from the current renderer.
PLAIN_EVAL_DIGEST = "3efbb448c4b28527d9c25890b6c83b23655d6edb8faabb433b69acc1daa27a4b"
SEED = 1000003
H, W = 48, 96


def _digest(clip) -> str:
    h = hashlib.sha256()
    for t in (clip.rgb, clip.labels, clip.depth):
        h.update(t.numpy().tobytes())
    return h.hexdigest()


def test_plain_evaluation_renders_are_bit_identical_to_before_randomisation():
    assert _digest(render_frames(2, [0, 59], 128, 256)) == PLAIN_EVAL_DIGEST


def test_randomised_renders_are_deterministic_per_seed_and_differ_from_plain():
    a = render_frames(SEED, [40, 700], H, W, randomize=RandomizeSpec())
    b = render_frames(SEED, [40, 700], H, W, randomize=RandomizeSpec())
    for name in ("rgb", "labels", "depth", "poses", "intrinsics"):
        assert torch.equal(getattr(a, name), getattr(b, name)), name
    plain = render_frames(SEED, [40, 700], H, W)
    assert not torch.equal(a.rgb, plain.rgb) and not torch.equal(a.poses, plain.poses)
    assert R.draw(SEED) != R.draw(SEED + 1)


def test_draws_stay_in_their_ranges_and_cover_them():
    draws = [R.draw(s) for s in range(1_000_000, 1_000_300)]
    col = lambda name: np.array([getattr(d, name) for d in draws])  # noqa: E731
    checks = {"height": col("height"), "pitch_down_deg": -np.degrees(col("pitch")), "roll_deg": np.degrees(col("roll")),
              "hfov_deg": np.degrees(col("hfov")), "distortion": col("distortion"), "exposure": col("exposure"),
              "gamma": col("gamma"), "contrast": col("contrast"), "noise": col("noise"), "motion": col("motion"),
              "defocus": col("defocus"), "yaw_deg": np.degrees(col("yaw"))}
    for name, values in checks.items():
        lo, hi = R.RANGES[name]
        assert values.min() >= lo and values.max() <= hi, name
        # the draws reach both ends of the range (a quarter of it from each end)
        assert values.min() < lo + (hi - lo) / 4 and values.max() > hi - (hi - lo) / 4, name
    q = col("jpeg_quality")
    assert (q == 0).any() and q[q > 0].min() >= 8 and q.max() <= 60
    assert col("on_sidewalk").any() and not col("on_sidewalk").all()
    turned = np.abs(np.degrees(col("yaw")))
    assert 0.3 < (turned > 0).mean() < 0.7 and turned[turned > 0].min() >= R.SIDEWAYS_DEG[0]
    assert set(np.concatenate([d.tex_kind for d in draws])) == set(range(len(R.TEXTURE_KINDS)))
    assert R.TEXTURE_KINDS[4:] == PHOTOS


def _neutral(d: R.Draw, **change) -> R.Draw:
    """d without any photometric factor, then `change`."""
    base = dict(exposure=1.0, white_balance=np.ones(3), gamma=1.0, contrast=1.0, noise=0.0, vignette=0.0, motion=0.0,
                defocus=0.0, jpeg_quality=0)
    return dataclasses.replace(d, **{**base, **change})


def _one(draw: R.Draw, spec=RandomizeSpec(), frame=300, h=H, w=W):
    return _render([SEED], [np.array([frame])], h, w, 30.0, "cpu", 100.0, 1, spec, [draw])


@pytest.fixture(scope="module")
def neutral():
    d = _neutral(R.draw(SEED))
    return d, _one(d)


@pytest.mark.parametrize("change, effect", [
    (dict(exposure=2.0), lambda a, b: b.mean() > a.mean() * 1.2),
    (dict(exposure=0.5), lambda a, b: b.mean() < a.mean() * 0.85),
    (dict(white_balance=np.array([1.3, 1.0, 0.77])),
     lambda a, b: b[..., 0].mean() - b[..., 2].mean() > a[..., 0].mean() - a[..., 2].mean() + 5),
    (dict(gamma=1.4), lambda a, b: b.mean() < a.mean() - 5),
    (dict(contrast=1.5), lambda a, b: b.std() > a.std() * 1.2),
    (dict(noise=10 / 255), lambda a, b: 7 < (b - a).std() < 13),  # sigma 10 levels, minus clipping
    (dict(vignette=0.6), lambda a, b: b[:4, :4].mean() < a[:4, :4].mean() and abs(b[20:28, 44:52].mean() - a[20:28, 44:52].mean()) < 3),
    (dict(motion=0.06, motion_angle=0.0), lambda a, b: np.abs(np.diff(b, axis=1)).mean() < 0.8 * np.abs(np.diff(a, axis=1)).mean()),
    (dict(defocus=0.03), lambda a, b: np.abs(np.diff(b, axis=0)).mean() < 0.8 * np.abs(np.diff(a, axis=0)).mean()),
    (dict(jpeg_quality=8), lambda a, b: 1 < np.abs(b - a).mean() < 20),
])
def test_each_photometric_factor_changes_only_the_rgb(neutral, change, effect):
    d, base = neutral
    got = _one(dataclasses.replace(d, **change))
    assert torch.equal(got.labels, base.labels) and torch.equal(got.depth, base.depth)
    a, b = base.rgb[0, 0].numpy().astype(float), got.rgb[0, 0].numpy().astype(float)
    assert effect(a, b), change


def test_blur_kernels_keep_brightness_and_spread_as_asked():
    k = blur_kernel(2.0, 0.0, 0.0)
    assert abs(float(k.sum()) - 1) < 1e-5 and k.shape == (5, 5)
    line = blur_kernel(0.0, 6.0, 0.0)
    assert line.shape[0] == 7 and float(line[3].sum()) > 0.99  # horizontal: all weight on the middle row
    assert blur_kernel(0.05, 0.05, 0.0) is None
    img = torch.rand(16, 16, 3)
    assert torch.equal(blur(img, None), img)
    assert abs(float(blur(img, k).mean() - img.mean())) < 0.02


def test_camera_factors_set_the_pose_and_intrinsics():
    scene = build_scene(SEED, True)
    d = dataclasses.replace(R.draw(SEED), height=9.0, pitch=-np.radians(40), roll=np.radians(12), hfov=np.radians(95),
                            distortion=0.0, shake=0.0, on_sidewalk=False)
    poses, K = R.camera(scene, d, np.array([0.0, 2.0]), H, W)
    assert np.allclose(poses[:, 2, 3], 9.0)
    fwd = poses[:, :3, 2]
    assert np.allclose(np.degrees(np.arcsin(fwd[:, 2])), -40, atol=1e-6)
    # roll about the optical axis: the image axes' heights are sin(roll) and cos(roll) times the
    # height of an upright camera's down axis
    assert np.allclose(np.degrees(np.arctan2(-poses[:, 2, 0], -poses[:, 2, 1])), 12, atol=1e-6)
    assert np.isclose(2 * np.degrees(np.arctan(W / 2 / K[0, 0])), 95)
    side, _ = R.camera(scene, dataclasses.replace(d, on_sidewalk=True), np.array([0.0, 2.0]), H, W)
    off = np.linalg.norm(side[:, :2, 3] - poses[:, :2, 3], axis=1)
    assert np.allclose(off, scene.layout.road_half - scene.route.lane_offset + R.SIDEWALK_CAMERA_FROM_KERB)
    # a turned camera: the same place, its optical axis' heading turned by yaw (left positive), pitch kept
    turned, _ = R.camera(scene, dataclasses.replace(d, yaw=np.radians(70)), np.array([0.0, 2.0]), H, W)
    assert np.allclose(turned[:, :3, 3], poses[:, :3, 3])
    heading = lambda p: np.arctan2(p[:, 1, 2], p[:, 0, 2])  # noqa: E731
    assert np.allclose(np.degrees(np.angle(np.exp(1j * (heading(turned) - heading(poses))))), 70, atol=1e-6)
    assert np.allclose(turned[:, 2, 2], poses[:, 2, 2])


def _plane_depth(pose, K, h, w, plane_z):
    v, u = np.meshgrid(np.arange(h) + 0.5, np.arange(w) + 0.5, indexing="ij")
    cam = np.stack([(u - K[0, 2]) / K[0, 0], (v - K[1, 2]) / K[1, 1], np.ones_like(u)], -1)
    d = cam @ pose[:3, :3].T
    t = (plane_z - pose[2, 3]) / d[..., 2]
    return np.where(t > 0, t, np.inf)


def test_a_high_tilted_rolled_camera_keeps_road_depth_on_the_road_plane():
    h, w = 64, 128
    d = dataclasses.replace(R.draw(SEED), height=7.5, pitch=-np.radians(35), roll=np.radians(-10),
                            hfov=np.radians(80), distortion=0.0, on_sidewalk=False)
    clip = _render([SEED], [np.array([120])], h, w, 30.0, "cpu", 1000.0, 1, RandomizeSpec(photometric=False), [d])
    pose, K = clip.poses[0, 0].double().numpy(), clip.intrinsics[0, 0].double().numpy()
    labels, depth = clip.labels[0, 0].numpy(), clip.depth[0, 0].double().numpy()
    road = labels == C.ROAD
    assert road.sum() > 0.1 * h * w
    # float32 ray casting: relative error ~1e-6 per op over a few dozen ops, well below 2e-4
    np.testing.assert_allclose(depth[road], _plane_depth(pose, K, h, w, 0.0)[road], rtol=2e-4)


def _edge_agreement(labels, rgb, shift, axis):
    lab = np.roll(labels, shift, axis=axis)
    diff_lab = np.diff(lab.astype(int), axis=axis) != 0
    diff_rgb = np.abs(np.diff(rgb.astype(float), axis=axis)).sum(-1)
    crop = (slice(4, -4), slice(4, -4))
    return diff_rgb[crop][diff_lab[crop]].mean(), diff_rgb[crop][~diff_lab[crop]].mean()


@pytest.mark.parametrize("distortion", [0.0, 0.25])
def test_labels_line_up_with_rgb_in_randomised_worlds(distortion):
    # textures and photometric effects off: then RGB edges are object edges, as in the plain test
    spec = RandomizeSpec(photometric=False, appearance=False)
    # 1000006's camera is turned 58 degrees to the left: labels must follow a sideways view too
    assert R.draw(1000006).yaw != 0
    for seed, frame in ((SEED, 200), (1000007, 900), (1000006, 450)):
        d = dataclasses.replace(R.draw(seed), distortion=distortion)
        clip = _render([seed], [np.array([frame])], 96, 192, 30.0, "cpu", 100.0, 1, spec, [d])
        labels, rgb = clip.labels[0, 0].numpy(), clip.rgb[0, 0].numpy()
        assert len(np.unique(labels)) >= 3
        for axis in (0, 1):
            on, off = _edge_agreement(labels, rgb, 0, axis)
            assert on > 2 * off, (seed, axis, on, off)
            for shift in (-1, 1):
                assert on > 1.2 * _edge_agreement(labels, rgb, shift, axis)[0], (seed, axis, shift)


def test_lens_distortion_moves_labels_and_depth_with_the_rgb():
    d0 = dataclasses.replace(R.draw(SEED), distortion=0.0)
    d1 = dataclasses.replace(d0, distortion=0.3)
    spec = RandomizeSpec(photometric=False)
    flat, bent = _one(d0, spec), _one(d1, spec)
    assert not torch.equal(flat.labels, bent.labels)
    focal = W / 2 / np.tan(d1.hfov / 2)
    scale = float(bent.intrinsics[0, 0, 0, 0]) / focal
    assert scale < 1  # the undistorted render is wider
    grid = distortion_grid(torch.tensor([0.3]), torch.tensor([scale]), H, W, torch.tensor([focal], dtype=torch.float32))
    u = ((grid[0, ..., 0] + 1) * W / 2).floor().long().clamp(0, W - 1)
    v = ((grid[0, ..., 1] + 1) * H / 2).floor().long().clamp(0, H - 1)
    # an undistorted render at K of bent, sampled at the grid: what the warp must have produced
    pin = dataclasses.replace(d1, distortion=0.0, hfov=2 * np.arctan(W / 2 / (focal * scale)))
    wide = _one(pin, spec)
    assert float((wide.labels[0, 0][v, u] == bent.labels[0, 0]).float().mean()) > 0.97
    assert float((wide.depth[0, 0][v, u] == bent.depth[0, 0]).float().mean()) > 0.97


def test_appearance_retextures_the_rgb_only():
    d = _neutral(R.draw(SEED))
    plain = _one(d, RandomizeSpec(photometric=False, appearance=False))
    textured = _one(dataclasses.replace(d, tex_on=np.ones(19, bool), tex_mix=np.ones(19)),
                    RandomizeSpec(photometric=False))
    assert torch.equal(plain.labels, textured.labels) and torch.equal(plain.depth, textured.depth)
    assert (plain.rgb.float() - textured.rgb.float()).abs().mean() > 10


def test_natural_classes_mostly_keep_their_real_colours_and_the_rest_take_any_hue():
    draws = [R.draw(s) for s in range(1_000_000, 1_000_400)]

    def hsv(rgb):
        return np.array(colorsys.rgb_to_hsv(*rgb))

    for cls, (hue, sat, val) in R.NATURAL_HSV.items():
        natural = []
        for d in draws:
            h, s, v = hsv(d.tex_col1[cls])
            family = [(hue, sat, val)] + ([R.DRY_GROUND_HSV] if cls == C.TERRAIN else [])
            inside = any(lo_h <= h <= hi_h and lo_s <= s <= hi_s and lo_v <= v <= hi_v
                         for (lo_h, hi_h), (lo_s, hi_s), (lo_v, hi_v) in family)
            # the second colour is a darker shade of the first (random pairs almost never are)
            shade = d.tex_col2[cls] / np.maximum(d.tex_col1[cls], 1e-9)
            natural.append(inside and np.ptp(shade) < 1e-6 and 0.35 <= shade[0] <= 0.85)
        assert abs(np.mean(natural) - R.NATURAL_SHARE) < 0.07, cls
    grass = [hsv(d.tex_col1[C.TERRAIN])[0] for d in draws]
    assert np.mean([0.17 <= h <= 0.33 for h in grass]) > 0.4  # lawns are mostly green
    hues = np.array([hsv(d.tex_col1[C.CAR])[0] for d in draws])
    assert np.histogram(hues, bins=6, range=(0, 1))[0].min() > 30  # other classes: any hue


def test_texture_patterns_lie_in_zero_one_and_vary():
    u = torch.linspace(-3, 3, 400)
    v = torch.linspace(1, 7, 400).flip(0)
    for kind in range(len(R.TEXTURE_KINDS)):
        val = pattern(torch.full_like(u, kind, dtype=torch.long), u * 1.7, v, torch.tensor(5))
        assert val.min() >= 0 and val.max() <= 1 and val.std() > 0.05, R.TEXTURE_KINDS[kind]


def _kinds(scene):
    lay = scene.layout
    out = {}
    for i in range(-3, 4):
        for j in range(-3, 4):
            out[(i, j)] = int(block_kind(lay, torch.tensor(i), torch.tensor(j)))
    return out


def test_layouts_add_plazas_parks_and_parking_lots_with_their_content():
    found = set()
    for seed in range(1_000_000, 1_000_012):
        scene = build_scene(seed, True)
        lay = scene.layout
        assert 0.25 <= lay.open_blocks <= 0.6 and build_scene(seed).layout.open_blocks == 0
        for (i, j), kind in _kinds(scene).items():
            if kind == 0 or kind in found:
                continue
            cx, cy = (i + 0.5) * lay.period_x, (j + 0.5) * lay.period_y
            box, cyl = scene.prims["box"], scene.prims["cyl"]
            inside = lambda t, lab: ((np.abs(t.centre[:, 0] - cx) < lay.period_x / 2 - lay.street_half)  # noqa: E731
                                     & (np.abs(t.centre[:, 1] - cy) < lay.period_y / 2 - lay.street_half)
                                     & (t.label == lab))
            zone = lambda x, y: int(ground_zone(lay, torch.tensor([x]), torch.tensor([y]))[0])  # noqa: E731
            if kind == BLOCK_PARKING:
                assert zone(cx, cy) == ZONE_ROAD
                assert inside(box, C.CAR).sum() >= 20  # two boxes per car: rows of parked cars
            elif kind == BLOCK_PLAZA:
                assert zone(cx, cy) == ZONE_SIDEWALK
                assert inside(cyl, C.PERSON).sum() >= 3
            else:
                w1, o1, w2, o2, _ = (float(x) for x in park_path_params(lay, torch.tensor(i), torch.tensor(j)))
                assert zone(cx + 1.0, cy + o1) == ZONE_SIDEWALK  # on the path along x
                corner = (cx + lay.period_x / 2 - lay.street_half - 1.0, cy - lay.period_y / 2 + lay.street_half + 1.0)
                assert zone(*corner) in (ZONE_TERRAIN, ZONE_SIDEWALK)
            found.add(kind)
    assert found == {BLOCK_PLAZA, BLOCK_PARK, BLOCK_PARKING}


def test_parks_have_hedges_and_shrubs_on_the_lawn_not_on_the_paths():
    """Vegetation at eye level (trees' crowns start above 3.3 m): clipped hedges along the paths and
    shrubs, standing on the ground of the lawn."""
    found = 0
    for seed in range(1_000_000, 1_000_012):
        scene = build_scene(seed, True)
        lay = scene.layout
        for (i, j), kind in _kinds(scene).items():
            if kind != BLOCK_PARK:
                continue
            cx, cy = (i + 0.5) * lay.period_x, (j + 0.5) * lay.period_y
            hx, hy = lay.period_x / 2 - lay.street_half, lay.period_y / 2 - lay.street_half
            for t in (scene.prims["box"], scene.prims["ell"]):
                low = ((t.label == C.VEGETATION) & (np.abs(t.centre[:, 0] - cx) < hx) & (np.abs(t.centre[:, 1] - cy) < hy)
                       & (t.centre[:, 2] - t.size[:, 2] < lay.kerb_height + 0.5))
                if not low.any():
                    continue
                found += int(low.sum())
                # standing on the lawn (a shrub's round bottom sunk by at most a fifth of its height), below the crowns
                bottom = t.centre[low, 2] - t.size[low, 2]
                assert (bottom <= lay.kerb_height + 1e-9).all() and (bottom >= lay.kerb_height - 0.2 * t.size[low, 2] - 1e-9).all()
                assert (t.centre[low, 2] + t.size[low, 2] < 3.3).all()
                for sx, sy in ((0, 0), (-1, -1), (-1, 1), (1, -1), (1, 1)):  # centre and footprint corners
                    x, y = t.centre[low, 0] + sx * t.size[low, 0], t.centre[low, 1] + sy * t.size[low, 1]
                    zones = ground_zone(lay, torch.as_tensor(x), torch.as_tensor(y))
                    assert (zones == ZONE_TERRAIN).all()  # on the lawn: never on a path
    assert found >= 20


def test_plain_scenes_have_no_open_blocks_and_randomised_ones_more_people():
    plain, rand = build_scene(SEED), build_scene(SEED, True)
    assert set(_kinds(plain).values()) == {0}
    people = lambda s: int((s.prims["cyl"].label == C.PERSON).sum())  # noqa: E731
    assert people(rand) > people(plain)
    # the randomised world keeps the plain world's streets and route
    assert rand.layout.period_x == plain.layout.period_x and np.array_equal(rand.route.start, plain.route.start)


def test_randomised_clip_frames_equal_the_same_frames_rendered_alone():
    spec = RandomizeSpec()
    full = render_clips([SEED], 3, H, W, start_frame=20, randomize=spec)
    one = render_frames(SEED, [21], H, W, randomize=spec)
    assert torch.equal(full.rgb[:, 1], one.rgb[:, 0]) and torch.equal(full.labels[:, 1], one.labels[:, 0])


def test_bad_randomize_arguments_are_refused():
    with pytest.raises(ValueError, match="RandomizeSpec"):
        render_frames(SEED, [0], H, W, randomize={"camera": True})
    with pytest.raises(ValueError, match="unknown"):
        RandomizeSpec.from_json({"lens": True})
    with pytest.raises(ValueError, match="true or false"):
        RandomizeSpec.from_json({"camera": 1})


def test_culling_tan_half_covers_tilted_and_rolled_cameras():
    from mila.street.render_random import NO_LATERAL_CULL, culling_tan_half

    scene = build_scene(SEED)
    d = R.draw(SEED)
    tan = lambda **c: float(culling_tan_half(*(torch.as_tensor(a, dtype=torch.float32)[None] if a.ndim == 2 else  # noqa: E731
                                               torch.as_tensor(a, dtype=torch.float32) for a in
                                               R.camera(scene, dataclasses.replace(d, shake=0.0, distortion=0.0, **c),
                                                        np.array([1.0]), H, W)), H, W)[0])
    upright = tan(pitch=0.0, roll=0.0, hfov=np.radians(70))
    assert np.isclose(upright, np.tan(np.radians(35)), rtol=1e-5)
    assert tan(pitch=-np.radians(40), roll=0.0, hfov=np.radians(70)) > 1.2 * upright
    assert tan(pitch=0.0, roll=np.radians(15), hfov=np.radians(70)) > 1.05 * upright
    assert tan(pitch=-np.radians(80), roll=0.0, hfov=np.radians(100)) == NO_LATERAL_CULL


def test_culling_never_hides_what_a_randomised_camera_sees(monkeypatch):
    import mila.street.gpu_scene as G
    import mila.street.render_random as RR

    draws = [dataclasses.replace(R.draw(SEED), height=10.0, pitch=-np.radians(42), roll=np.radians(14),
                                 hfov=np.radians(100), on_sidewalk=False),
             dataclasses.replace(R.draw(1000007), height=4.0, pitch=-np.radians(20), roll=np.radians(-9),
                                 hfov=np.radians(45), on_sidewalk=True),
             dataclasses.replace(R.draw(1000011), height=1.6, pitch=0.0, roll=0.0, hfov=np.radians(90),
                                 on_sidewalk=True, yaw=np.radians(-80))]
    spec = RandomizeSpec(photometric=False)
    seeds = dict(zip(map(id, draws), (SEED, 1000007, 1000011)))
    render = lambda d: _render([seeds[id(d)]], [np.array([500])], H, W, 30.0, "cpu", 100.0, 1, spec, [d])  # noqa: E731
    culled = [render(d) for d in draws]
    monkeypatch.setattr(RR, "culling_tan_half", lambda poses, K, h, w: torch.full((poses.shape[0],), RR.NO_LATERAL_CULL))
    monkeypatch.setattr(G, "LOW_CAMERA", float("inf"))  # hidden-object culling for every camera height
    monkeypatch.setattr(G, "_hidden", lambda *a: torch.zeros(a[2].shape[0], dtype=torch.bool))
    for d, a in zip(draws, culled):
        b = render(d)
        assert torch.equal(a.labels, b.labels) and torch.equal(a.depth, b.depth)
