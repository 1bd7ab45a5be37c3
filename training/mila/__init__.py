"""mila: PyTorch training code for mila-web (mirrors src/runtime/ module by module)."""
import os

# libgomp's worker threads spin ~300k times at every barrier before sleeping. With 2 threads on 2 cores,
# any other busy process (a browser, a test run) preempts one of them and the other spins: a training
# step measured 20.7 s instead of 1.2 s. A short spin keeps 1.3 s alone and 2.9 s under contention.
# Must be set before torch loads libgomp, i.e. before any submodule of this package is imported.
os.environ.setdefault("GOMP_SPINCOUNT", "2000")
