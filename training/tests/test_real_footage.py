import json
import random

import numpy as np
import pytest
import torch

from mila.real_footage import CameraPath, RealFootageDataset, crop_boxes, load_items, sha256_of

from real_footage_fixture import add_file, fabricate_footage


def test_photos_and_video_load_hash_checked(tmp_path):
    items = load_items(fabricate_footage(tmp_path), tmp_path / "pkg")
    assert [i.id for i in items] == ["street", "park", "clip"]
    assert items[0].frames.shape == (1, 120, 160, 3) and items[0].frames.dtype == np.uint8
    assert items[2].frames.shape == (12, 64, 96, 3)
    assert not np.array_equal(items[2].frames[0], items[2].frames[5])  # the test pattern moves


def test_an_evaluation_photo_or_a_changed_file_is_refused(tmp_path):
    manifest = fabricate_footage(tmp_path, with_video=False)
    evaluated = tmp_path / "pkg" / "photos" / "evaluated.png"
    add_file(manifest, {"id": "evaluated", "path": "photos/evaluated.png", "sha256": sha256_of(evaluated)})
    with pytest.raises(ValueError, match="evaluation clip: training on it would leak"):
        load_items(manifest, tmp_path / "pkg")
    data = json.loads(manifest.read_text())
    data["files"] = data["files"][:1]
    data["files"][0]["sha256"] = "0" * 64
    manifest.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="is not the manifest's"):
        load_items(manifest, tmp_path / "pkg")
    with pytest.raises(FileNotFoundError, match="is .* the extracted package fabricated"):
        load_items(manifest, tmp_path / "elsewhere")


def test_crop_boxes_stay_inside_keep_the_aspect_and_move_within_the_path():
    path = CameraPath(pan=0.1, zoom=0.1, min_cover=0.5)
    for seed in range(200):
        src_w, src_h = random.Random(seed).choice([(640, 480), (300, 400), (1000, 300)])
        boxes = crop_boxes(random.Random(seed), src_w, src_h, 2.0, 6, path)
        assert len(boxes) == 6
        for x0, y0, x1, y1 in boxes:
            assert -1e-6 <= x0 < x1 <= src_w + 1e-6 and -1e-6 <= y0 < y1 <= src_h + 1e-6
            assert (x1 - x0) / (y1 - y0) == pytest.approx(2.0)
        w0, w5 = boxes[0][2] - boxes[0][0], boxes[-1][2] - boxes[-1][0]
        assert 0.9 - 1e-6 <= w5 / w0 <= 1.1 + 1e-6
        # the centre moves by at most the pan, except where the picture's edge holds the box in
        assert abs((boxes[-1][0] + boxes[-1][2]) - (boxes[0][0] + boxes[0][2])) / 2 <= 0.1 * w0 + abs(w5 - w0) + 1e-6
    assert crop_boxes(random.Random(3), 640, 480, 2.0, 4, path) == crop_boxes(random.Random(3), 640, 480, 2.0, 4, path)


def test_clips_are_unlabelled_moving_and_the_same_for_a_seed(tmp_path):
    items = load_items(fabricate_footage(tmp_path), tmp_path / "pkg")
    data = RealFootageDataset(items, 32, 64, CameraPath(pan=0.3, zoom=0.0, min_cover=0.6))
    batch = data.sample(6, 5, random.Random(1))
    assert batch.rgb.shape == (6, 5, 32, 64, 3) and batch.rgb.dtype == torch.uint8
    assert bool((batch.labels == 255).all()) and bool((batch.depth == 0).all())
    assert not bool(batch.frame_has_ground_truth().any())
    for clip in batch.rgb:
        assert not torch.equal(clip[0], clip[-1])  # the camera (or the video) moves
    again = data.sample(6, 5, random.Random(1))
    assert torch.equal(batch.rgb, again.rgb)
    with pytest.raises(ValueError, match="has 12 frames; a clip needs 20"):
        RealFootageDataset(items[2:], 32, 64).sample(1, 20, random.Random(0))
    with pytest.raises(ValueError, match="no evaluation set"):
        next(data.eval_batches(5, 1))
