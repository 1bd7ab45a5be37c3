"""Puts training/ on sys.path so `import mila` works from the repo root and from training/."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import mila  # noqa: E402,F401  (first: it sets GOMP_SPINCOUNT, which must precede torch's libgomp)
import pytest  # noqa: E402
import torch  # noqa: E402


def suite_threads() -> int:
    """Intra-op threads for the whole suite: OMP_NUM_THREADS when set, so running the suite with =1 and =2
    checks that no result depends on the thread count; else 1, because the suite shares a 2-core machine
    with training runs. Set here, once, rather than per test module: a module-level set_num_threads
    would override OMP_NUM_THREADS for every module collected after it."""
    raw = os.environ.get("OMP_NUM_THREADS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


torch.set_num_threads(suite_threads())


@pytest.fixture(autouse=True)
def _restore_torch_threads():
    """Trainer CLIs called in-process set torch's thread count (--threads): restore it after each test."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)
