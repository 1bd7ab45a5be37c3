"""Integer hashing and value noise on tensors: deterministic on every device (integer ops are exact)."""
import torch

_M32 = 0xFFFFFFFF


def _mul32(x: torch.Tensor, c: int) -> torch.Tensor:
    """(x * c) mod 2**32 without int64 overflow: split c into 16-bit halves."""
    lo = x * (c & 0xFFFF)
    hi = ((x * (c >> 16)) & 0xFFFF) << 16
    return (lo + hi) & _M32


def hash_u32(x: torch.Tensor) -> torch.Tensor:
    """lowbias32 integer hash of int64 tensors (taken mod 2**32); result in [0, 2**32)."""
    x = x & _M32
    x = x ^ (x >> 16)
    x = _mul32(x, 0x7FEB352D)
    x = x ^ (x >> 15)
    x = _mul32(x, 0x846CA68B)
    return x ^ (x >> 16)


def hash2(ix: torch.Tensor, iy: torch.Tensor, salt) -> torch.Tensor:
    """Hash of two integer coordinates (|v| < 2**24) and a salt (int or per-point int64 tensor)
    -> float in [0, 1)."""
    s = (salt & _M32) if isinstance(salt, torch.Tensor) else (salt & _M32)
    h = hash_u32(ix * 0x5F356495 + hash_u32(iy * 0x2C1B3C6D + s))
    return h.to(torch.float32) * (1.0 / 4294967296.0)


def value_noise(x: torch.Tensor, y: torch.Tensor, salt: int) -> torch.Tensor:
    """Smooth 2D value noise in [0, 1) with unit cell size."""
    fx, fy = torch.floor(x), torch.floor(y)
    ix, iy = fx.long(), fy.long()
    wx, wy = x - fx, y - fy
    wx = wx * wx * (3 - 2 * wx)
    wy = wy * wy * (3 - 2 * wy)
    a = hash2(ix, iy, salt)
    b = hash2(ix + 1, iy, salt)
    c = hash2(ix, iy + 1, salt)
    d = hash2(ix + 1, iy + 1, salt)
    return (a + (b - a) * wx) + ((c + (d - c) * wx) - (a + (b - a) * wx)) * wy


def fbm(x: torch.Tensor, y: torch.Tensor, salt: int, octaves: int = 3) -> torch.Tensor:
    """Fractal sum of value noise, roughly in [0, 1), mean 0.5."""
    total = torch.zeros_like(x)
    amp, norm = 1.0, 0.0
    for o in range(octaves):
        total = total + amp * value_noise(x, y, salt + 1013 * o)
        norm += amp
        x, y = x * 2.03 + 17.1, y * 2.03 - 9.7
        amp *= 0.5
    return total / norm


def cell_random(ix: torch.Tensor, iy: torch.Tensor, salt: int) -> torch.Tensor:
    """One random number per integer cell (tiles, bricks, windows)."""
    return hash2(ix, iy, salt)
