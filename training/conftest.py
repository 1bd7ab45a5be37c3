"""Puts training/ on sys.path so `import mila` works from the repo root and from training/."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _restore_torch_threads():
    """Trainer CLIs called in-process set torch's thread count (--threads): restore it after each test."""
    import torch

    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)
