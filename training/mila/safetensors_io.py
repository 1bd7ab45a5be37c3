"""Minimal safetensors writer/reader (the `safetensors` package is not available here).

Format: 8-byte little-endian header length N, N bytes of JSON header
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}} padded with spaces
to a multiple of 8, then the raw little-endian tensor bytes (offsets relative to the data start).
"""
from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple

import numpy as np
import torch

_NP_DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "F64": np.dtype("<f8"),
              "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"),
              "I8": np.dtype("i1"), "U8": np.dtype("u1"), "BOOL": np.dtype("?")}
_TORCH_TO_CODE = {torch.float32: "F32", torch.float16: "F16", torch.float64: "F64", torch.int64: "I64",
                  torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


class SafetensorsError(ValueError):
    pass


def save_safetensors(tensors: Mapping[str, torch.Tensor], path: str | Path,
                     metadata: Optional[Mapping[str, str]] = None) -> None:
    header: Dict[str, object] = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        if name == "__metadata__":
            raise SafetensorsError("a tensor cannot be named __metadata__")
        t = t.detach().cpu().contiguous()
        code = _TORCH_TO_CODE.get(t.dtype)
        if code is None:
            raise SafetensorsError(f"{name}: unsupported dtype {t.dtype}")
        data = t.numpy().astype(_NP_DTYPES[code], copy=False).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def load_safetensors(path: str | Path) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """Returns (tensors in file order, metadata); raises SafetensorsError naming the file on bad input."""
    p = Path(path)
    blob = p.read_bytes()
    if len(blob) < 8:
        raise SafetensorsError(f"{p}: too short for a safetensors file ({len(blob)} bytes)")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        raise SafetensorsError(f"{p}: header length {n} exceeds the file size {len(blob)}")
    try:
        header = json.loads(blob[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SafetensorsError(f"{p}: header is not valid JSON: {e}") from e
    if not isinstance(header, dict):
        raise SafetensorsError(f"{p}: header is not a JSON object")
    metadata = header.pop("__metadata__", {}) or {}
    data = memoryview(blob)[8 + n:]
    out: Dict[str, torch.Tensor] = {}
    for name, info in header.items():
        try:
            dtype = _NP_DTYPES[info["dtype"]]
            shape = [int(s) for s in info["shape"]]
            begin, end = (int(v) for v in info["data_offsets"])
        except (KeyError, TypeError, ValueError) as e:
            raise SafetensorsError(f"{p}: tensor {name!r}: bad header entry {info!r}") from e
        count = int(np.prod(shape)) if shape else 1
        if not 0 <= begin <= end <= len(data) or end - begin != count * dtype.itemsize:
            raise SafetensorsError(f"{p}: tensor {name!r}: data_offsets {[begin, end]} do not fit shape "
                                   f"{shape} of {info['dtype']} in {len(data)} data bytes")
        arr = np.frombuffer(data[begin:end], dtype=dtype).reshape(shape).copy()
        out[name] = torch.from_numpy(arr)
    return out, dict(metadata)
