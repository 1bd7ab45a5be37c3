"""Cityscapes-style clip reader (for users who have the data; nothing here downloads it).

Layout under `root` (the official one):
  leftImg8bit_sequence/<split>/<city>/<city>_<seq>_<frame>_leftImg8bit.png   30-frame snippets
  gtFine/<split>/<city>/<city>_<seq>_<frame>_gtFine_labelTrainIds.png       (or _gtFine_labelIds.png)
  disparity/<split>/<city>/<city>_<seq>_<frame>_disparity.png               uint16, d = (p - 1) / 256
  camera/<split>/<city>/<city>_<seq>_<frame>_camera.json                   baseline (m), fx (px)
Only annotated frames have labels and depth; the other frames of a clip carry none (ignored).
Depth = baseline * fx / d for p > 1, else 0 (invalid).
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import numpy as np
import torch

from .data import ClipBatch, ClipDataset

# Cityscapes labelIds -> 19 train IDs (cityscapesScripts labels.py); everything else -> 255
LABEL_ID_TO_TRAIN_ID = {7: 0, 8: 1, 11: 2, 12: 3, 13: 4, 17: 5, 19: 6, 20: 7, 21: 8, 22: 9, 23: 10,
                        24: 11, 25: 12, 26: 13, 27: 14, 28: 15, 31: 16, 32: 17, 33: 18}
# used only when an annotated frame has disparity but no camera file (typical Cityscapes values)
DEFAULT_BASELINE_M = 0.209313
DEFAULT_FX_PX = 2262.52

_NAME = re.compile(r"^(?P<city>.+)_(?P<seq>\d{6})_(?P<frame>\d{6})_")


def _label_lut() -> np.ndarray:
    lut = np.full(256, 255, dtype=np.uint8)
    for k, v in LABEL_ID_TO_TRAIN_ID.items():
        lut[k] = v
    return lut


@dataclass(frozen=True)
class AnnotatedFrame:
    city: str
    seq: str
    frame: int
    label_path: Path
    train_ids: bool  # label file already holds train IDs


class CityscapesSequenceDataset(ClipDataset):
    dense_labels = False

    def __init__(self, root: str | Path, split: str, height: int, width: int, ignore_index: int = 255):
        from PIL import Image  # noqa: F401  (fail early with a clear error if Pillow is missing)

        self.root = Path(root)
        self.split = split
        self.height, self.width = height, width
        self.ignore_index = ignore_index
        seq_dir = self.root / "leftImg8bit_sequence" / split
        gt_dir = self.root / "gtFine" / split
        for d in (seq_dir, gt_dir):
            if not d.is_dir():
                raise FileNotFoundError(f"Cityscapes layout: missing folder {d}")
        self.sequence_frames: Dict[Tuple[str, str], Set[int]] = {}
        for p in seq_dir.glob("*/*_leftImg8bit.png"):
            m = _NAME.match(p.name)
            if m:
                self.sequence_frames.setdefault((m["city"], m["seq"]), set()).add(int(m["frame"]))
        found: Dict[Tuple[str, str, int], AnnotatedFrame] = {}
        for p in sorted(gt_dir.glob("*/*_gtFine_label*Ids.png")):
            m = _NAME.match(p.name)
            if not m or not (p.name.endswith("_gtFine_labelTrainIds.png") or p.name.endswith("_gtFine_labelIds.png")):
                continue
            key = (m["city"], m["seq"], int(m["frame"]))
            train_ids = p.name.endswith("labelTrainIds.png")
            if key not in found or train_ids:  # prefer train IDs when both exist
                found[key] = AnnotatedFrame(m["city"], m["seq"], int(m["frame"]), p, train_ids)
        self.annotated: List[AnnotatedFrame] = [a for k, a in sorted(found.items())
                                                if a.frame in self.sequence_frames.get((a.city, a.seq), ())]
        if not self.annotated:
            raise FileNotFoundError(f"Cityscapes layout: no annotated frame under {gt_dir} has its image in {seq_dir}")
        self._lut = _label_lut()

    # --- file reading ---------------------------------------------------------------------------
    def _path(self, kind: str, a_city: str, seq: str, frame: int, suffix: str) -> Path:
        return self.root / kind / self.split / a_city / f"{a_city}_{seq}_{frame:06d}_{suffix}"

    def _read_rgb(self, city: str, seq: str, frame: int) -> np.ndarray:
        from PIL import Image

        img = Image.open(self._path("leftImg8bit_sequence", city, seq, frame, "leftImg8bit.png")).convert("RGB")
        return np.asarray(img.resize((self.width, self.height), Image.BILINEAR), dtype=np.uint8)

    def _read_labels(self, a: AnnotatedFrame) -> np.ndarray:
        from PIL import Image

        img = Image.open(a.label_path)
        arr = np.asarray(img.resize((self.width, self.height), Image.NEAREST))
        if arr.ndim != 2:
            raise ValueError(f"{a.label_path}: expected a single-channel label image, got shape {arr.shape}")
        arr = arr.astype(np.uint8) if a.train_ids else self._lut[arr.astype(np.int64).clip(0, 255)]
        return np.where(arr == 255, self.ignore_index, arr).astype(np.int64)

    def _read_depth(self, a: AnnotatedFrame) -> np.ndarray:
        from PIL import Image

        disp_path = self._path("disparity", a.city, a.seq, a.frame, "disparity.png")
        if not disp_path.exists():
            return np.zeros((self.height, self.width), np.float32)
        raw = np.asarray(Image.open(disp_path)).astype(np.float64)
        if raw.ndim != 2:
            raise ValueError(f"{disp_path}: expected a 16-bit single-channel disparity image, got shape {raw.shape}")
        baseline, fx = DEFAULT_BASELINE_M, DEFAULT_FX_PX
        cam_path = self._path("camera", a.city, a.seq, a.frame, "camera.json")
        if cam_path.exists():
            try:
                cam = json.loads(cam_path.read_text())
                baseline, fx = float(cam["extrinsic"]["baseline"]), float(cam["intrinsic"]["fx"])
            except (KeyError, TypeError, ValueError) as e:
                raise ValueError(f"{cam_path}: needs extrinsic.baseline and intrinsic.fx: {e}") from e
        disparity = (raw - 1.0) / 256.0
        depth = np.where(raw > 1, baseline * fx / np.maximum(disparity, 1e-9), 0.0).astype(np.float32)
        # float32 -> mode "F"; nearest keeps depth edges sharp (no blended, non-existent depths)
        img = Image.fromarray(depth).resize((self.width, self.height), Image.NEAREST)
        return np.asarray(img, dtype=np.float32)

    def _clip(self, a: AnnotatedFrame, start: int, num_frames: int) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        rgb = np.stack([self._read_rgb(a.city, a.seq, start + i) for i in range(num_frames)])
        labels = np.full((num_frames, self.height, self.width), self.ignore_index, np.int64)
        depth = np.zeros((num_frames, self.height, self.width), np.float32)
        labels[a.frame - start] = self._read_labels(a)
        depth[a.frame - start] = self._read_depth(a)
        return rgb, labels, depth

    def _starts(self, a: AnnotatedFrame, num_frames: int) -> List[int]:
        """Clip starts for which all frames exist and the annotated frame is inside the clip."""
        frames = self.sequence_frames[(a.city, a.seq)]
        return [s for s in range(a.frame - num_frames + 1, a.frame + 1)
                if all(s + i in frames for i in range(num_frames))]

    @staticmethod
    def _batch(parts) -> ClipBatch:
        rgb, labels, depth = (torch.from_numpy(np.stack(x)) for x in zip(*parts))
        return ClipBatch(rgb, labels, depth)

    # --- ClipDataset --------------------------------------------------------------------------
    def sample(self, batch_size: int, num_frames: int, rng: random.Random) -> ClipBatch:
        parts = []
        for _ in range(100 * batch_size):
            a = rng.choice(self.annotated)
            starts = self._starts(a, num_frames)
            if starts:
                parts.append(self._clip(a, rng.choice(starts), num_frames))
                if len(parts) == batch_size:
                    return self._batch(parts)
        raise ValueError(f"Cityscapes layout: no annotated frame has {num_frames} consecutive sequence frames around it")

    def eval_batches(self, num_frames: int, batch_size: int) -> Iterator[ClipBatch]:
        """Each annotated frame once, as late in its clip as the sequence allows (so earlier keyframes exist)."""
        parts = []
        usable = 0
        for a in self.annotated:
            starts = self._starts(a, num_frames)
            if not starts:
                continue
            usable += 1
            parts.append(self._clip(a, starts[0], num_frames))
            if len(parts) == batch_size:
                yield self._batch(parts)
                parts = []
        if parts:
            yield self._batch(parts)
        if usable == 0:
            raise ValueError(f"Cityscapes layout: no annotated frame has {num_frames} consecutive sequence frames around it")
