"""The candidate table's architecture variants are valid configs whose channels scale with the width."""
import json
import sys
from pathlib import Path

import pytest

from mila.config import parse_config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from candidates import candidate_config  # noqa: E402

BASE = json.loads((Path(__file__).resolve().parent.parent / "configs" / "mila-street-v1.json").read_text())


@pytest.mark.parametrize("width", [8, 12, 16])
def test_candidate_configs_scale_every_width_with_the_base_width(width):
    c = parse_config(candidate_config(BASE, width, f"w{width}"), "candidate")
    assert c.slow.base_width == c.fast.base_width == width
    assert c.feature_channels == c.slow.aspp.channels == 4 * width
    assert c.task_channels == c.ila.key_channels == 2 * width
    assert (c.input.height, c.input.width, c.output_stride) == (BASE["input"]["height"], BASE["input"]["width"],
                                                                 BASE["outputStride"])
    assert BASE["name"] == "mila-street-v1"  # the base is not modified in place
