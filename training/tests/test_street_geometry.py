"""Geometry of the rendered ground truth: depth on the flat road, label/RGB alignment, moving
objects, camera motion."""
import numpy as np
import torch

from mila.street import classes as C
from mila.street import render_clips
from mila.street.render import render_views
from mila.street.route import WORLD_SECONDS, camera_poses
from mila.street.scene import build_scene

DYNAMIC = {C.PERSON, C.RIDER, C.CAR, C.TRUCK, C.BUS, C.MOTORCYCLE, C.BICYCLE}


def _plane_depth(pose, K, h, w, plane_z):
    """Analytic z-depth of every pixel ray hitting the horizontal plane z = plane_z (inf if it rises)."""
    v, u = np.meshgrid(np.arange(h) + 0.5, np.arange(w) + 0.5, indexing="ij")
    cam = np.stack([(u - K[0, 2]) / K[0, 0], (v - K[1, 2]) / K[1, 1], np.ones_like(u)], -1)
    d = cam @ pose[:3, :3].T  # unnormalised: its component along the optical axis is 1
    t = (plane_z - pose[2, 3]) / d[..., 2]
    return np.where(t > 0, t, np.inf)


def _plane_rtol(depth, pose, plane_z):
    """Float32 rounding of a rendered plane depth, relative. The renderer's ray direction rounds by ~2^-24 per
    component; at a grazing angle the ray's height change over its length is |camera z - plane z| / depth, so
    that rounding reaches the intersection distance amplified by depth / height. 8 roundings bound the
    direction and intersection arithmetic (about 1.6 is seen at 270 m from a 1.25 m camera)."""
    return 8 * 2.0 ** -24 * (1 + depth / abs(pose[2, 3] - plane_z))


def test_road_depth_is_the_analytic_plane_depth_and_grows_towards_the_horizon():
    h, w = 64, 128
    clip = render_clips([11], 2, height=h, width=w, start_frame=30, max_depth=1000.0)
    for f in range(2):
        pose, K = clip.poses[0, f].double().numpy(), clip.intrinsics[0, f].double().numpy()
        labels, depth = clip.labels[0, f].numpy(), clip.depth[0, f].double().numpy()
        road = labels == C.ROAD
        assert road.sum() > 0.15 * h * w
        expected = _plane_depth(pose, K, h, w, 0.0)
        assert (np.abs(depth[road] - expected[road]) <= _plane_rtol(expected[road], pose, 0.0) * expected[road]).all()
        assert (depth[road] > 0).all()
        # sidewalk tops lie on the kerb-height plane; kerb faces lie between that plane and the road's
        side = labels == C.SIDEWALK
        kerb_height = build_scene(11).layout.kerb_height
        kerb_top = _plane_depth(pose, K, h, w, kerb_height)[side]
        tol_top, tol_road = _plane_rtol(kerb_top, pose, kerb_height), _plane_rtol(expected[side], pose, 0.0)
        top = np.abs(depth[side] - kerb_top) <= tol_top * kerb_top
        face = (depth[side] >= kerb_top * (1 - tol_top)) & (depth[side] <= expected[side] * (1 + tol_road))
        assert top.mean() > 0.5 and (top | face).all()
        # along every image column, consecutive road pixels get farther going up
        for x in range(w):
            col = np.nonzero(road[:, x])[0]
            runs = np.split(col, np.nonzero(np.diff(col) != 1)[0] + 1)
            for run in runs:
                if len(run) > 1:
                    assert (np.diff(depth[run, x]) < 0).all()  # row index up = depth down


def _edge_agreement(labels, rgb, shift, axis):
    lab = np.roll(labels, shift, axis=axis)
    diff_lab = np.diff(lab.astype(int), axis=axis) != 0
    diff_rgb = np.abs(np.diff(rgb.astype(float), axis=axis)).sum(-1)
    crop = [slice(4, -4)] * 2
    return diff_rgb[tuple(crop)][diff_lab[tuple(crop)]].mean(), diff_rgb[tuple(crop)][~diff_lab[tuple(crop)]].mean()


def test_label_edges_line_up_with_rgb_edges():
    clip = render_clips([12, 13], 1, height=96, width=192, start_frame=60)
    for b in range(2):
        labels, rgb = clip.labels[b, 0].numpy(), clip.rgb[b, 0].numpy()
        for axis in (0, 1):
            on, off = _edge_agreement(labels, rgb, 0, axis)
            assert on > 3 * off, (on, off)
            # the agreement is best without a shift: labels are not offset against the image
            for shift in (-1, 1):
                on_s, _ = _edge_agreement(labels, rgb, shift, axis)
                assert on > 1.3 * on_s, (axis, shift, on, on_s)


def test_moving_objects_move_and_the_static_world_does_not():
    seed, h, w = 14, 64, 128
    scene = build_scene(seed)
    pose = torch.tensor(camera_poses(scene.route, scene.rig, np.array([0.0])), dtype=torch.float32)
    clip = render_clips([seed], 1, height=h, width=w)
    K = clip.intrinsics[0, :1]
    poses, Ks = pose.repeat(2, 1, 1), K.repeat(2, 1, 1)
    times = torch.tensor([0.0, 1.5])
    rgb, labels, depth = render_views([seed, seed], poses, Ks, times, torch.tensor([0, 0]), h, w, 100.0)
    l0, l1 = labels[0].numpy(), labels[1].numpy()
    dyn0, dyn1 = np.isin(l0, list(DYNAMIC)), np.isin(l1, list(DYNAMIC))
    assert dyn0.sum() > 30
    changed = l0 != l1
    assert changed.sum() > 20
    # every change involves a moving object: the static world stays put under a still camera
    assert (dyn0 | dyn1)[changed].all()
    static = ~dyn0 & ~dyn1
    assert torch.equal(depth[0][torch.from_numpy(static)], depth[1][torch.from_numpy(static)])
    # and the world state really moves: some moving primitives have a velocity
    assert (np.abs(scene.prims["box"].vel).sum(1) > 0).sum() > 10
    assert (np.abs(scene.prims["cyl"].vel).sum(1) > 0).sum() > 10


def test_camera_drives_turns_changes_speed_and_shakes():
    turns, ratios = 0, []
    for seed in (21, 22, 23, 24, 25):
        scene = build_scene(seed)
        t = np.arange(0, WORLD_SECONDS, 1 / 30)
        poses = camera_poses(scene.route, scene.rig, t)
        pos = poses[:, :2, 3]
        speed = np.linalg.norm(np.diff(pos, axis=0), axis=1) * 30
        # speed always varies, by a random amount per clip
        assert speed.min() > 0.5 and speed.max() > 1.05 * speed.min()
        ratios.append(speed.max() / speed.min())
        fwd = poses[:, :3, 2]
        heading = np.unwrap(np.arctan2(fwd[:, 1], fwd[:, 0]))
        turns += int(np.abs(heading.max() - heading.min()) > np.radians(80))
        pitch = np.degrees(np.arcsin(fwd[:, 2]))
        assert 0.05 < pitch.std() < 2.0
        assert 1.0 < poses[0, 2, 3] < 2.5
    assert turns >= 3
    assert np.median(ratios) > 1.2
