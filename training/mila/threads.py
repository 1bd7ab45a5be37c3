"""CPU threads: use every core this process may run on, not torch's default (1 on some machines).

The count is the smaller of the affinity mask (`os.sched_getaffinity`) and the cgroup CPU quota
(`cpu.max` of cgroup v2, `cpu.cfs_quota_us` / `cpu.cfs_period_us` of v1), so a container limited to
2 CPUs on a 64-core host uses 2, not 64.
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Optional


def _cgroup_quota(root: Path = Path("/sys/fs/cgroup")) -> Optional[float]:
    """CPUs allowed by the cgroup quota, or None when unlimited or unreadable."""
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        return None if quota <= 0 or period <= 0 else quota / period
    except (OSError, ValueError):
        return None


def available_cpus(cgroup_root: Path = Path("/sys/fs/cgroup")) -> int:
    """CPUs this process may use: affinity mask, capped by the cgroup quota (at least 1)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    quota = _cgroup_quota(cgroup_root)
    if quota is not None:
        n = min(n, max(1, math.floor(quota)))
    return max(1, n)


def use_cpus(requested: Optional[int] = None) -> int:
    """Set torch's intra-op threads to `requested` (or every available CPU) and return the count."""
    import torch

    n = available_cpus() if requested is None else int(requested)
    if n < 1:
        raise ValueError(f"thread count must be >= 1, got {n}")
    torch.set_num_threads(n)
    return n
