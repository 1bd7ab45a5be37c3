"""Every class the renderer claims to draw shows up in a long drive; the camera never ends up
inside an object."""
import numpy as np

from mila.street import RENDERED_CLASSES, render_clips
from mila.street.classes import CLASS_NAMES


def test_every_rendered_class_appears_in_a_long_clip():
    # one seed's 60 s drive, one frame per second: union of the classes seen
    seen = np.zeros(256, np.int64)
    clip = render_clips([2], 60, height=96, width=192, fps=1.0)
    labels = clip.labels.numpy()
    seen += np.bincount(labels.reshape(-1), minlength=256)
    missing = [CLASS_NAMES[c] for c in RENDERED_CLASSES if seen[c] == 0]
    assert not missing, f"classes never rendered: {missing}"
    assert seen[255] == 0 and set(np.nonzero(seen)[0]) <= set(RENDERED_CLASSES)
    # nothing ever sits right in front of the lens
    centre = clip.depth[0, :, 40:56, 88:104]
    assert float(centre.min()) > 1.0
