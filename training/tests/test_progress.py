import io

from mila import progress
from mila.progress import ProgressBar


def test_the_eta_of_a_resumed_bar_comes_from_its_own_rate(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(progress.time, "time", lambda: now[0])
    out = io.StringIO()
    bar = ProgressBar(100, "stage", stream=out, start=50)
    assert bar.line().endswith("50/100 elapsed 0:00 ETA ?")  # no rate yet
    now[0] += 10
    bar.update(absolute=60)  # 10 units in 10 s: 40 to go
    assert bar.line() == "stage [##################............]  60.0% 60/100 elapsed 0:10 ETA 0:40"
    assert out.getvalue().splitlines()[-1] == bar.line()
    fresh = ProgressBar(100, "stage", stream=io.StringIO())
    now[0] += 20
    fresh.update(absolute=25)  # 25 units in 20 s: 75 to go
    assert fresh.line().endswith("ETA 1:00")
