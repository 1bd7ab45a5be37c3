"""Bundled ground-truth clips: the PNG encodings, a small clip written end to end, and the clips
shipped under public/samples/ (format of docs/ARCHITECTURE.md, size budget, reproducibility)."""
import json
import os
import sys

import numpy as np
import pytest
from PIL import Image

from mila.street import CLASS_NAMES, HELD_OUT_SEEDS, render_clips
from mila.street.export import count_video_frames, decode_depth, directory_bytes, encode_depth, write_clip

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from make_samples import RENDERED_PREFIX  # noqa: E402

SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "public", "samples")
MANIFEST_KEYS = {"name", "video", "fps", "frames", "width", "height", "labels", "depth", "depthScale", "maxDepth",
                 "classes", "seed"}


def test_depth_png_encoding_round_trips_to_the_resolution():
    depth = np.array([[0.0, 0.004, 1.234], [57.891, 99.999, 100.0]], np.float32)
    rgb = encode_depth(depth, 100.0)
    assert rgb.dtype == np.uint8 and rgb.shape == (2, 3, 3) and (rgb[..., 2] == 0).all()
    assert rgb[0, 0].tolist() == [0, 0, 0]  # 0 stays "invalid"
    # quantisation: half a step (0.5 / scale); encode and decode run in float64 (2^-53 of <= 100 m), 1e-6 covers it
    np.testing.assert_allclose(decode_depth(rgb, 100.0), depth, atol=0.005 + 1e-6)
    assert decode_depth(encode_depth(np.array([[100.0]]), 100.0), 100.0)[0, 0] == 100.0


def _assert_quantised_depth(decoded, rendered, scale, pose):
    """decoded PNG depth vs a fresh float32 render of the same frame (maybe on another CPU, as for the bundled
    clips): half a quantisation step, plus the render's rounding. A float32 ray-surface intersection at depth d
    rounds by a few 2^-24 of d, amplified by d / camera height at grazing angles (see test_street_geometry):
    8 * 2^-24 * d * (1 + d / height) per pixel."""
    d = rendered.astype(np.float64)
    bound = 0.5 / scale + 8 * 2.0 ** -24 * d * (1 + d / float(pose[2, 3]))
    assert (np.abs(decoded - d) <= bound).all()


def test_write_clip_end_to_end(tmp_path):
    m = write_clip(str(tmp_path), 5, 4, 32, 64, depth_scale=64.0, chunk=3)
    assert count_video_frames(str(tmp_path / "clip.webm")) == 4
    on_disk = json.loads((tmp_path / "manifest.json").read_text())
    assert on_disk == m and set(m) == MANIFEST_KEYS and m["classes"] == CLASS_NAMES
    clip = render_clips([5], 4, 32, 64)
    for i in range(4):
        lab = Image.open(tmp_path / (m["labels"] % i))
        dep = Image.open(tmp_path / (m["depth"] % i))
        assert lab.mode == "L" and dep.mode == "RGB" and lab.size == (64, 32)
        assert np.array_equal(np.asarray(lab), clip.labels[0, i].numpy())
        _assert_quantised_depth(decode_depth(np.asarray(dep), 64.0), clip.depth[0, i].numpy(), 64.0, clip.poses[0, i])


def test_write_clip_refuses_a_depth_scale_that_overflows(tmp_path):
    with pytest.raises(ValueError, match="16 bits"):
        write_clip(str(tmp_path), 5, 1, 32, 64, depth_scale=1000.0)


def _bundled():
    """The rendered clips of index.json (the real-footage clip is tested in test_label_polygons.py)."""
    index = os.path.join(SAMPLES, "index.json")
    if not os.path.isfile(index):
        pytest.fail(f"{index} is missing: run training/scripts/make_samples.py")
    with open(index) as fh:
        return [c for c in json.load(fh)["clips"] if c["id"].startswith(RENDERED_PREFIX)]


def test_bundled_clips_follow_the_contract_and_the_budget():
    clips = _bundled()
    assert len(clips) >= 2
    total = 0
    for entry in clips:
        folder = os.path.join(SAMPLES, entry["id"])
        with open(os.path.join(folder, "manifest.json")) as fh:
            m = json.load(fh)
        assert set(m) == MANIFEST_KEYS and m["classes"] == CLASS_NAMES and m["fps"] == 30
        assert m["seed"] in HELD_OUT_SEEDS
        assert m["frames"] >= 270 and (m["width"], m["height"]) == (512, 256)
        assert m["depthScale"] * m["maxDepth"] <= 65535
        assert count_video_frames(os.path.join(folder, m["video"])) == m["frames"]
        for i in (0, m["frames"] - 1):
            assert Image.open(os.path.join(folder, m["labels"] % i)).mode == "L"
            assert Image.open(os.path.join(folder, m["depth"] % i)).mode == "RGB"
        assert not os.path.exists(os.path.join(folder, m["labels"] % m["frames"]))
        total += directory_bytes(folder)
    assert total <= 25 * 1000 * 1000


def test_bundled_ground_truth_is_what_the_renderer_makes():
    entry = _bundled()[0]
    folder = os.path.join(SAMPLES, entry["id"])
    with open(os.path.join(folder, "manifest.json")) as fh:
        m = json.load(fh)
    i = m["frames"] // 2
    clip = render_clips([m["seed"]], 1, m["height"], m["width"], m["fps"], max_depth=m["maxDepth"], start_frame=i)
    labels = np.asarray(Image.open(os.path.join(folder, m["labels"] % i)))
    depth = decode_depth(np.asarray(Image.open(os.path.join(folder, m["depth"] % i))), m["depthScale"])
    assert np.array_equal(labels, clip.labels[0, 0].numpy())
    _assert_quantised_depth(depth, clip.depth[0, 0].numpy(), m["depthScale"], clip.poses[0, 0])
