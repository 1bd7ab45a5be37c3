import random

import pytest

from mila.cityscapes import CityscapesSequenceDataset

from cityscapes_fixture import fabricate_cityscapes


def test_reader_parses_fabricated_folder(tmp_path):
    h, w = fabricate_cityscapes(tmp_path)
    ds = CityscapesSequenceDataset(tmp_path, "val", height=h, width=w)
    assert [(a.seq, a.frame, a.train_ids) for a in ds.annotated] == [("000000", 4, True), ("000001", 12, False)]

    batches = list(ds.eval_batches(num_frames=3, batch_size=8))
    assert len(batches) == 1
    b = batches[0]
    assert tuple(b.rgb.shape) == (2, 3, h, w, 3) and tuple(b.labels.shape) == (2, 3, h, w)
    # clips end at the annotated frame: seq 0 frames 2..4, seq 1 frames 10..12
    assert b.rgb[0, :, 0, 0, 0].tolist() == [2, 3, 4] and b.rgb[1, :, 0, 0, 0].tolist() == [10, 11, 12]
    assert (b.labels[:, :2] == 255).all() and (b.depth[:, :2] == 0).all()
    seq0 = b.labels[0, 2]
    assert (seq0[1:, :8] == 0).all() and (seq0[1:, 8:] == 13).all() and (seq0[0] == 255).all()
    seq1 = b.labels[1, 2]
    assert (seq1[:, :4] == 13).all() and (seq1[:, 4:6] == 255).all() and (seq1[:, 6:] == 0).all()
    # depth = baseline * fx / disparity = 0.2 * 2000 / 20 = 20 m; p = 0 invalid; no disparity file -> 0
    # float32 division: 20 within 1 ulp (2^-24 relative), inside approx's default rel 1e-6
    assert b.depth[0, 2, :, 1:].numpy() == pytest.approx(20.0)
    assert (b.depth[0, 2, :, 0] == 0).all() and (b.depth[1] == 0).all()
    assert b.frame_has_ground_truth().tolist() == [False, False, True]


def test_sampling_and_resizing(tmp_path):
    fabricate_cityscapes(tmp_path)
    ds = CityscapesSequenceDataset(tmp_path, "val", height=4, width=8)
    batch = ds.sample(3, 4, random.Random(0))
    assert tuple(batch.rgb.shape) == (3, 4, 4, 8, 3)
    labelled = (batch.labels != 255).flatten(2).any(-1)
    assert labelled.sum(1).tolist() == [1, 1, 1]  # exactly one annotated frame per clip
    with pytest.raises(ValueError, match="7 consecutive"):
        ds.sample(1, 7, random.Random(0))


def test_missing_layout_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match="leftImg8bit_sequence"):
        CityscapesSequenceDataset(tmp_path, "train", 8, 16)
