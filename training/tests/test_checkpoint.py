import pytest
import torch

from mila.checkpoint import load_checkpoint, save_checkpoint
from mila.mila_model import MilaModel

from helpers import tiny_config


def test_checkpoint_round_trip_and_bad_files(tmp_path):
    torch.manual_seed(1)
    model = MilaModel(tiny_config(), with_discriminator=True)
    save_checkpoint(model, tmp_path / "c.pt", ["pretrain-slow"])
    back, stages = load_checkpoint(tmp_path / "c.pt")
    assert stages == ["pretrain-slow"] and back.config == model.config
    for k, v in model.state_dict().items():
        assert torch.equal(v, back.state_dict()[k]), k
    no_d, _ = load_checkpoint(tmp_path / "c.pt", with_discriminator=False)
    assert no_d.discriminator is None
    torch.save({"hello": torch.zeros(1)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a mila-web/1-checkpoint"):
        load_checkpoint(tmp_path / "other.pt")
    (tmp_path / "junk.pt").write_bytes(b"junk")
    with pytest.raises(ValueError, match="cannot read checkpoint"):
        load_checkpoint(tmp_path / "junk.pt")
