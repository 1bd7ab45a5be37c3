"""Hand-drawn label polygons (training/scripts/label_polygons.py) and the real-footage clip built from them
(training/scripts/make_real_clip.py, public/samples/real-photos/)."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from mila.polygons import PolygonError, boundary_band, load_polygons, overlay, parse_polygons, rasterise  # noqa: E402
from make_real_clip import attribution, update_index  # noqa: E402

from mila.street.classes import CLASS_NAMES, IGNORE_INDEX  # noqa: E402
from mila.street.export import count_video_frames  # noqa: E402

REAL = Path(__file__).resolve().parents[1] / "real_footage"
SAMPLES = Path(__file__).resolve().parents[2] / "public" / "samples"
ROAD, SKY, CAR = CLASS_NAMES.index("road"), CLASS_NAMES.index("sky"), CLASS_NAMES.index("car")


def test_classes_are_drawn_in_file_order_and_uncovered_pixels_stay_unlabelled():
    layers = parse_polygons({"road": [[[0, 0], [9, 0], [9, 9], [0, 9]]], "car": [[[2, 2], [5, 2], [5, 5], [2, 5]]],
                             "unlabelled": [[[7, 7], [9, 7], [9, 9], [7, 9]]]}, "t.json")
    labels = rasterise(layers, 12, 10, band=0)
    assert labels.dtype == np.uint8 and labels.shape == (10, 12)
    assert labels[3, 3] == CAR  # car drawn over road
    assert labels[0, 0] == ROAD and labels[8, 8] == IGNORE_INDEX  # "unlabelled" drawn over road
    assert (labels[:, 10:] == IGNORE_INDEX).all()  # not covered


def test_boundary_band_unlabels_both_sides_of_a_class_edge_only():
    labels = np.full((6, 10), ROAD, np.uint8)
    labels[:, 5:] = SKY
    labels[:, 0] = IGNORE_INDEX
    band = boundary_band(labels, 1)
    assert band[:, 4].all() and band[:, 5].all()  # one pixel each side of road | sky
    assert not band[:, [1, 2, 3, 6, 7, 8, 9]].any()  # next to 255 is not a class boundary
    layers = parse_polygons({"road": [[[0, 0], [5, 0], [5, 6], [0, 6]]], "sky": [[[5, 0], [10, 0], [10, 6], [5, 6]]]}, "t")
    banded = rasterise(layers, 10, 6, band=2)
    assert (banded[:, 3:7] == IGNORE_INDEX).all() and (banded[:, :3] == ROAD).all() and (banded[:, 7:] == SKY).all()


def test_bad_polygon_files_get_clear_messages(tmp_path):
    with pytest.raises(PolygonError, match=r"t\.json: unknown class 'lawn'"):
        parse_polygons({"lawn": [[[0, 0], [1, 0], [1, 1]]]}, "t.json")
    with pytest.raises(PolygonError, match=r"'road' polygon 0 must be a list of 3 or more"):
        parse_polygons({"road": [[[0, 0], [1, 0]]]}, "t.json")
    with pytest.raises(PolygonError, match="non-empty JSON object"):
        parse_polygons([], "t.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(PolygonError, match="not valid JSON"):
        load_polygons(str(bad))


def test_overlay_tints_labelled_pixels_only():
    rgb = np.full((1, 2, 3), 100, np.uint8)
    out = overlay(rgb, np.array([[ROAD, IGNORE_INDEX]], np.uint8), alpha=1.0)
    assert out[0, 0].tolist() == [128, 64, 128] and out[0, 1].tolist() == [100, 100, 100]


def _sources():
    return json.loads((REAL / "sources.json").read_text())


def test_every_photo_has_polygons_with_several_classes_labelled():
    src = _sources()
    assert len({p["id"] for p in src["photos"]}) == len(src["photos"]) >= 2
    for p in src["photos"]:
        labels = rasterise(load_polygons(str(REAL / "polygons" / f"{p['id']}.json")), src["width"], src["height"])
        present = set(np.unique(labels).tolist()) - {IGNORE_INDEX}
        assert len(present) >= 3, p["id"]
        assert (labels != IGNORE_INDEX).mean() > 0.4, p["id"]  # coarse, but a good part of the frame


def test_bundled_real_clip_is_what_the_polygons_give():
    src = _sources()
    folder = SAMPLES / src["id"]
    m = json.loads((folder / "manifest.json").read_text())
    assert "depth" not in m and m["classes"] == CLASS_NAMES  # no depth ground truth
    assert m["frames"] == len(src["photos"]) * src["hold"] and (m["width"], m["height"]) == (src["width"], src["height"])
    assert count_video_frames(str(folder / m["video"])) == m["frames"]
    for i, p in enumerate(src["photos"]):
        expected = rasterise(load_polygons(str(REAL / "polygons" / f"{p['id']}.json")), src["width"], src["height"])
        for f in (i * src["hold"], (i + 1) * src["hold"] - 1):
            assert np.array_equal(np.asarray(Image.open(folder / (m["labels"] % f))), expected), (p["id"], f)
    assert not (folder / (m["labels"] % m["frames"])).exists()
    for name in ("ATTRIBUTION.md", f"COPYRIGHT.{src['package']['name']}", "LICENSE.Apache-2.0"):
        assert (folder / name).stat().st_size > 0
    assert (folder / "ATTRIBUTION.md").read_text() == attribution(src)
    assert any(c["id"] == src["id"] for c in json.loads((SAMPLES / "index.json").read_text())["clips"])


def test_update_index_replaces_its_own_entry_and_keeps_the_others(tmp_path):
    (tmp_path / "index.json").write_text(json.dumps({"clips": [{"id": "a", "name": "A", "frames": 3},
                                                               {"id": "r", "name": "old", "frames": 1}]}))
    update_index(str(tmp_path), "r", "R", 25)
    assert json.loads((tmp_path / "index.json").read_text())["clips"] == [
        {"id": "a", "name": "A", "frames": 3}, {"id": "r", "name": "R", "frames": 25}]
