import json
import random

import numpy as np
import pytest
import torch
from PIL import Image

from mila.real_footage import (CameraPath, RealFootageDataset, crop_boxes, ensure_packages, hand_labelled_ids, label_files,
                               load_items, load_manifest, sha256_of)

from real_footage_fixture import add_file, add_two_tone_photo, fabricate_footage


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
    with pytest.raises(FileNotFoundError, match="is the package fabricated extracted in .*elsewhere"):
        load_items(manifest, tmp_path / "elsewhere")


def test_files_of_several_packages_load_from_one_folder_each_naming_its_package(tmp_path):
    manifest = fabricate_footage(tmp_path, with_video=False)
    data = json.loads(manifest.read_text())
    data["packages"] = [data.pop("package"), {"name": "other", "version": "2"}]
    (tmp_path / "pkg" / "other").mkdir()
    Image.fromarray(np.full((40, 80, 3), 90, np.uint8)).save(tmp_path / "pkg" / "other" / "grey.png")
    data["files"] = [{**f, "package": "fabricated"} for f in data["files"]]
    data["files"].append({"id": "grey", "package": "other", "path": "other/grey.png",
                          "sha256": sha256_of(tmp_path / "pkg" / "other" / "grey.png")})
    manifest.write_text(json.dumps(data))
    assert [i.id for i in load_items(manifest, tmp_path / "pkg")] == ["street", "park", "grey"]
    del data["files"][-1]["package"]  # with two packages every file says which it comes from
    manifest.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="file 'grey' names package None, not one of fabricated, other"):
        load_manifest(manifest)
    data["packages"][1]["name"] = "fabricated"
    manifest.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="a package is listed twice"):
        load_manifest(manifest)
    data["packages"] = []
    manifest.write_text(json.dumps(data))
    with pytest.raises(ValueError, match='needs "packages"'):
        load_manifest(manifest)


def test_a_one_package_manifest_may_name_it_alone_and_its_files_need_not_repeat_it(tmp_path):
    manifest = load_manifest(fabricate_footage(tmp_path, with_video=False))
    assert manifest["packages"] == [{"name": "fabricated", "version": "1"}] and "package" not in manifest
    assert {f["package"] for f in manifest["files"]} == {"fabricated"}


def test_a_manifest_extends_another_with_more_packages_and_files(tmp_path):
    base = fabricate_footage(tmp_path, with_video=False)
    (tmp_path / "pkg" / "other").mkdir()
    Image.fromarray(np.full((40, 80, 3), 90, np.uint8)).save(tmp_path / "pkg" / "other" / "grey.png")
    more = tmp_path / "more.json"
    more.write_text(json.dumps({"_base_": base.name, "packages": [{"name": "other", "version": "2"}],
                                "files": [{"id": "grey", "package": "other", "path": "other/grey.png",
                                           "sha256": sha256_of(tmp_path / "pkg" / "other" / "grey.png")}]}))
    manifest = load_manifest(more)
    assert [p["name"] for p in manifest["packages"]] == ["fabricated", "other"]
    assert manifest["evaluation"] == ["sources.json"]  # the base's, unless this one names its own
    assert [i.id for i in load_items(more, tmp_path / "pkg")] == ["street", "park", "grey"]


def test_packages_already_extracted_are_not_fetched_again(tmp_path):
    (tmp_path / ".extracted-here_1").touch()
    assert ensure_packages(tmp_path, [{"name": "here", "version": "1"}]) == tmp_path
    fetched = []
    with pytest.raises(FileNotFoundError, match="Debian package no-such-package-mila=0 into"):
        ensure_packages(tmp_path, [{"name": "here", "version": "1"}, {"name": "no-such-package-mila", "version": "0"}],
                        log=fetched.append)
    assert [e["package"] for e in fetched] == ["no-such-package-mila"]


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


def test_hand_labels_are_scaled_with_the_photo_and_cropped_along_with_its_clips(tmp_path):
    manifest = fabricate_footage(tmp_path)
    labels_dir = add_two_tone_photo(tmp_path, manifest)
    items = load_items(manifest, tmp_path / "pkg", labels_dir)
    labelled = {i.id: i for i in items if i.labels is not None}
    assert list(labelled) == ["two-tone"]
    item = labelled["two-tone"]
    assert item.frames.shape[1:3] == item.labels.shape == (307, 768)  # stored at most 768 wide, labels with it
    red = item.frames[0, ..., 0] > item.frames[0, ..., 2]
    known = item.labels != 255
    assert known.mean() > 0.95  # only the boundary band is unlabelled
    assert np.array_equal(item.labels[known] == 0, red[known])
    data = RealFootageDataset(items, 32, 64).hand_labelled()
    batch = data.sample(16, 3, random.Random(0))
    assert batch.labels.dtype == torch.int64 and bool((batch.depth == 0).all())
    known = batch.labels != 255
    red = batch.rgb[..., 0] > batch.rgb[..., 2]
    assert known.float().mean() > 0.8
    assert torch.equal((batch.labels == 0)[known], red[known])  # labels stay on their pixels as the camera moves
    assert torch.equal((batch.labels == 10)[known], ~red[known])


def test_hand_labels_are_refused_for_a_video_a_stray_id_or_a_missing_folder(tmp_path):
    manifest = fabricate_footage(tmp_path)
    labels_dir = add_two_tone_photo(tmp_path, manifest)
    (labels_dir / "clip.json").write_text(json.dumps({"road": [[[0, 0], [10, 0], [10, 10]]]}))
    with pytest.raises(ValueError, match="hand labels are for photos; clip is a video"):
        load_items(manifest, tmp_path / "pkg", labels_dir)
    (labels_dir / "clip.json").rename(labels_dir / "lost.json")
    with pytest.raises(ValueError, match="lost name no file of"):
        load_items(manifest, tmp_path / "pkg", labels_dir)
    (labels_dir / "lost.json").unlink()
    (labels_dir / "street.json").write_text(json.dumps({"road": [[[-50, -50], [-10, -50], [-10, -10]]]}))
    with pytest.raises(ValueError, match="label no pixel"):
        load_items(manifest, tmp_path / "pkg", labels_dir)
    with pytest.raises(FileNotFoundError, match="not a folder"):
        load_items(manifest, tmp_path / "pkg", tmp_path / "nowhere")
    with pytest.raises(ValueError, match="no footage item has hand labels"):
        RealFootageDataset(load_items(manifest, tmp_path / "pkg"), 32, 64).hand_labelled()


def test_the_committed_manifests_are_valid_and_their_hand_labels_parse_and_name_their_photos():
    from pathlib import Path

    from mila.polygons import load_polygons

    folder = Path(__file__).resolve().parent.parent / "real_footage"
    for manifest_name, label_folders in (("unlabelled.json", ["labels"]),
                                         ("unlabelled-4-packages.json", ["labels", "labels-more"])):
        manifest = load_manifest(folder / manifest_name)  # every file names one of its packages
        assert all(p.get("licence") and p.get("copyright") for p in manifest["packages"])
        photos = {f["id"] for f in manifest["files"] if not f["path"].endswith(".avi")}
        files = label_files([folder / f for f in label_folders])  # no photo labelled twice
        assert files and set(files) <= photos, manifest_name
        for f in files.values():
            assert load_polygons(str(f)), f.name  # known class names, 3+ points per polygon
    smaller = load_manifest(folder / "unlabelled.json")["files"]
    assert all(f in load_manifest(folder / "unlabelled-4-packages.json")["files"] for f in smaller)


def test_several_labels_folders_label_one_manifest_and_a_photo_labelled_twice_is_refused(tmp_path):
    manifest = fabricate_footage(tmp_path, with_video=False)
    labels = add_two_tone_photo(tmp_path, manifest)
    more = tmp_path / "more"
    more.mkdir()
    (more / "park.json").write_text(json.dumps({"vegetation": [[[0, 0], [160, 0], [160, 120], [0, 120]]]}))
    items = {i.id: i for i in load_items(manifest, tmp_path / "pkg", [labels, more])}
    assert items["park"].labels is not None and items["two-tone"].labels is not None and items["street"].labels is None
    assert hand_labelled_ids([labels, more]) == ["park", "two-tone"]
    (more / "two-tone.json").write_text((labels / "two-tone.json").read_text())
    with pytest.raises(ValueError, match="two-tone is labelled twice"):
        load_items(manifest, tmp_path / "pkg", [labels, more])