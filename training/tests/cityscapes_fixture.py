"""Fabricates a tiny folder in the Cityscapes layout (for the reader and end-to-end tests)."""
import json

import numpy as np
from PIL import Image


def fabricate_cityscapes(root, split="val"):
    """Tiny Cityscapes layout: city 'aachen', sequences 000000 (frames 0..5, gt at 4, trainIds + camera)
    and 000001 (frames 10..13, gt at 12, labelIds, no camera file)."""
    h, w = 8, 16
    rng = np.random.default_rng(0)
    city = "aachen"
    for sub in ("leftImg8bit_sequence", "gtFine", "disparity", "camera"):
        (root / sub / split / city).mkdir(parents=True)
    for seq, frames in (("000000", range(0, 6)), ("000001", range(10, 14))):
        for f in frames:
            img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
            img[0, 0] = [f, 0, 0]  # frame marker
            Image.fromarray(img).save(root / "leftImg8bit_sequence" / split / city / f"{city}_{seq}_{f:06d}_leftImg8bit.png")
    train_ids = np.zeros((h, w), np.uint8)
    train_ids[:, 8:] = 13
    train_ids[0, :] = 255
    Image.fromarray(train_ids).save(root / "gtFine" / split / city / f"{city}_000000_000004_gtFine_labelTrainIds.png")
    label_ids = np.full((h, w), 7, np.uint8)   # road -> 0
    label_ids[:, :4] = 26                      # car -> 13
    label_ids[:, 4:6] = 9                      # parking -> 255
    Image.fromarray(label_ids).save(root / "gtFine" / split / city / f"{city}_000001_000012_gtFine_labelIds.png")
    disp = np.full((h, w), 1 + 256 * 20, np.uint16)  # disparity 20 px
    disp[:, 0] = 0                                     # invalid
    Image.fromarray(disp).save(root / "disparity" / split / city / f"{city}_000000_000004_disparity.png")
    (root / "camera" / split / city / f"{city}_000000_000004_camera.json").write_text(
        json.dumps({"extrinsic": {"baseline": 0.2}, "intrinsic": {"fx": 2000.0}}))
    return h, w
