"""scripts/contact_sheet.py: a preset's key moments rendered into one labelled PNG."""

import subprocess
import sys

import numpy as np
from PIL import Image

from scripts.contact_sheet import COLUMNS, EVEN, key_times


def test_the_sheet_is_one_png_of_the_asked_moments_each_a_rendered_frame(tmp_path):
    out = tmp_path / "sheet.png"
    done = subprocess.run(
        [sys.executable, "scripts/contact_sheet.py", "default", "-o", str(out), "--size", "64x36", "--fps", "4",
         "--times", "0.5", "1.0", "1.5"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    sheet = np.asarray(Image.open(out).convert("RGB"), np.float32)
    assert sheet.shape == (24 + 36 + 18 + 4, 4 + 3 * (64 + 4), 3)  # a title, one row of three frames, captions
    frames = [sheet[24:60, 4 + i * 68: 68 + i * 68] for i in range(3)]
    assert all(frame.mean() > 3.0 for frame in frames)  # the sea's light, not the sheet's dark ground
    assert np.abs(frames[0] - frames[2]).mean() > 0.5  # a second apart, the piece has moved


def test_a_preset_that_cannot_be_read_is_named_without_a_traceback(tmp_path):
    done = subprocess.run([sys.executable, "scripts/contact_sheet.py", "no-such-preset", "-o", str(tmp_path / "x.png")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "no-such-preset" in done.stderr and "Traceback" not in done.stderr


def test_key_moments_spread_over_the_length_and_catch_each_fault_as_it_sets_in():
    moments = key_times(60.0, [{"at": 24.0, "kind": "cascade", "duration": 3.0}, {"at": 70.0, "kind": "stall"}])
    times = [t for t, _ in moments]
    assert len(moments) == EVEN + 1 and times == sorted(times) and 0 < times[0] < 60 / EVEN and times[-1] < 60
    assert (24.4, "cascade") in moments  # past the preset's end, the stall is left out
    assert COLUMNS == 4
