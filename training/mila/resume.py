"""Resumable training: the whole training state in one file, written atomically every few minutes.

`resume.pt` in the run folder holds the model (discriminator included), the stages done with their
results, the D18-MultiTask snapshot of pre-training (an evaluation row), and the stage in progress:
its optimiser, its own extra modules (pre-training's D18 decoders, learned task weights), step,
elapsed seconds, lr decay and loss history, plus the Python and torch random states. The same
command after a kill reloads it and goes on where it stopped; the stage keeps its time budget.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import torch

RESUME_FORMAT = "mila-web/1-resume"
RESUME_FILE = "resume.pt"


@dataclass
class StageProgress:
    """Where a stage is: restored into `run_stage` on resume."""
    stage: str
    step: int = 0
    elapsed: float = 0.0
    decayed: bool = False
    optimizer: Optional[Dict[str, Any]] = None
    extra: Optional[Dict[str, torch.Tensor]] = None  # state of the step module's non-model parts
    losses: List[float] = field(default_factory=list)
    task_losses: List[Dict[str, float]] = field(default_factory=list)


@dataclass
class TrainState:
    model: Dict[str, torch.Tensor]
    config: Dict[str, Any]
    stages_done: List[str]
    results: List[Dict[str, Any]]
    d18: Optional[Dict[str, torch.Tensor]]
    current: Optional[StageProgress]
    python_rng: Any
    torch_rng: torch.Tensor


def save_state(path: Path, state: TrainState) -> None:
    blob = {"format": RESUME_FORMAT, "model": state.model, "config": json.dumps(state.config),
            "stages_done": state.stages_done, "results": json.dumps(state.results), "d18": state.d18,
            "current": None if state.current is None else {**state.current.__dict__,
                                                             "losses": json.dumps(state.current.losses),
                                                             "task_losses": json.dumps(state.current.task_losses)},
            "python_rng": json.dumps(state.python_rng), "torch_rng": state.torch_rng}
    tmp = path.with_suffix(".tmp")
    torch.save(blob, str(tmp))
    tmp.replace(path)  # a kill while writing leaves the previous state intact


def load_state(path: Path) -> TrainState:
    try:
        blob = torch.load(str(path), map_location="cpu", weights_only=False)  # our own file: it holds random states
    except Exception as e:  # torch raises many types for a corrupt file
        raise ValueError(f"{path}: cannot read the resume state ({e}); delete it to start over") from e
    if not isinstance(blob, dict) or blob.get("format") != RESUME_FORMAT:
        raise ValueError(f"{path}: not a {RESUME_FORMAT} file")
    cur = blob["current"]
    current = None
    if cur is not None:
        cur = dict(cur, losses=json.loads(cur["losses"]), task_losses=json.loads(cur["task_losses"]))
        current = StageProgress(**cur)
    rng = json.loads(blob["python_rng"])
    python_rng = (rng[0], tuple(rng[1]), rng[2])  # JSON turned the state tuple into lists
    return TrainState(blob["model"], json.loads(blob["config"]), list(blob["stages_done"]),
                      json.loads(blob["results"]), blob["d18"], current, python_rng, blob["torch_rng"])
