"""CPU threads: affinity and cgroup quota, not the machine's core count."""
import os

import pytest
import torch

from mila.threads import _cgroup_quota, available_cpus, use_cpus


def test_available_cpus_follows_the_affinity_mask():
    assert available_cpus() <= len(os.sched_getaffinity(0))
    assert available_cpus() >= 1


def test_cgroup_v2_quota_caps_the_count(tmp_path):
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert _cgroup_quota(tmp_path) == 1.5
    assert available_cpus(tmp_path) == 1
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert _cgroup_quota(tmp_path) is None


def test_cgroup_v1_quota(tmp_path):
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert _cgroup_quota(tmp_path) is None
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("200000\n")
    assert _cgroup_quota(tmp_path) == 2.0


def test_use_cpus_sets_torch_threads():
    before = torch.get_num_threads()
    try:
        assert use_cpus(1) == 1 and torch.get_num_threads() == 1
        assert use_cpus() == available_cpus() == torch.get_num_threads()
        with pytest.raises(ValueError):
            use_cpus(0)
    finally:
        torch.set_num_threads(before)
