"""ISF audio and audioFFT inputs: the sound's waveform and spectrum, as the file's author expects."""

import dataclasses

import numpy as np

from neoterra_glow.audio.analysis import Analyser
from neoterra_glow.core.camera import Camera
from neoterra_glow.core.params import Registry
from neoterra_glow.gpu.stage import Build
from neoterra_glow.murals.layers import layer_spec
from neoterra_glow.murals.stack import MuralStack
from tests.audio.sounds import tone
from tests.conftest import SMALL, frame_at, pixels

SHOWS_SOUND = """/*{"ISFVSN": "2", "NEOTERRA_LIGHT": "linear", "INPUTS": [
    {"NAME": "fft", "TYPE": "audioFFT"}, {"NAME": "wave", "TYPE": "audio", "MAX": 512}]}*/
void main() {
    float x = isf_FragNormCoord.x;
    gl_FragColor = vec4(IMG_NORM_PIXEL(fft, vec2(x, 0.5)).r, IMG_NORM_PIXEL(wave, vec2(x, 0.5)).r, 0.0, 1.0);
}
"""


def test_an_isf_file_sees_the_spectrum_and_the_waveform(ctx, library, tmp_path):
    (tmp_path / "sound.fs").write_text(SHOWS_SOUND)
    spec = layer_spec({"shader": "sound.fs"}, tmp_path)
    assert [p.path for p in spec.params()] == ["murals.sound.opacity", "murals.sound.blend", "murals.sound.mask",
                                               "murals.sound.resolution", "murals.sound.every"]  # no knobs of its own
    registry = Registry([*spec.params(), *MuralStack.params, *Camera.params])
    registry.set("murals.ceiling", 4.0, immediate=True)  # the file's own values, not the stack's cap on them
    registry.set("murals.exposure", 0.0, immediate=True)  # nor its lift
    stack = MuralStack(Build(ctx, library, SMALL, layers=[spec]))
    try:
        silent = frame_at(registry)
        stack.compose(silent, stack.output, stack._black)
        quiet = pixels(stack.output, 3)
        analyser = Analyser()
        for start in range(0, 48_000, 512):
            hearing = analyser.feed(tone(1_000.0, 1.0)[start:start + 512])
        stack.compose(dataclasses.replace(silent, audio=hearing), stack.output, stack._black)
        loud = pixels(stack.output, 3)
    finally:
        stack.release()
    assert quiet[..., 0].max() == 0.0 and np.allclose(quiet[..., 1], 0.5, atol=0.01)  # silence: no spectrum, a flat wave
    row = loud[SMALL[1] // 2]
    peak = np.log(1_000 / 20) / np.log(16_000 / 20)  # where 1 kHz falls on the log-spaced spectrum
    assert abs(row[:, 0].argmax() / SMALL[0] - peak) < 0.03
    assert row[:, 0].max() > 0.9 and np.median(row[:, 0]) < 0.1
    assert row[:, 1].max() > 0.72 and row[:, 1].min() < 0.28  # the tone (amplitude 0.5) swings about 0.5
