"""Live sound from a sound card (a PulseAudio null sink): the show hears it, records it, and
a replay of the session hears it again the same; a missing device is said and the show goes on."""

import logging
import subprocess
import time

import numpy as np

from neoterra_glow.audio.files import BLOCK, Soundtrack
from neoterra_glow.direction.session import read_session
from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from neoterra_glow.render import render_frames
from tests.audio.conftest import start_pulseaudio
from tests.audio.sounds import RATE, tone, write_wav
from tests.audio.test_render_audio import PRESET
from tests.conftest import SMALL


def test_a_live_show_hears_the_sound_card_and_its_replay_hears_it_again(ctx, tmp_path, sound_card):
    (tmp_path / "bass.toml").write_text(PRESET)
    record = tmp_path / "set.oscrec"
    live = LiveShow(ctx, load_piece(tmp_path / "bass.toml"), SMALL, 3, Listening(port=0, query_port=None), record=record,
                    connections=Connections(audio_in="pulse"))
    shown, bass, brightness = [], [], []
    try:
        assert live.audio.absent is None
        sound_card.play(write_wav(tmp_path / "bass.wav", tone(60.0, 8.0, 0.8)))
        started = time.monotonic()  # an idle sink wakes when the player starts: sound comes a moment later
        while live.audio.samples < 1.5 * RATE and time.monotonic() - started < 8.0:
            shown.append(np.frombuffer(live.step().texture.read(), np.uint8).copy())
            bass.append(live.piece.registry.value("audio.bass"))
            brightness.append(live.frame.params["swarm.brightness"])
            time.sleep(0.02)
        lines = "\n".join(live.hud_lines(60.0, 16.0))
        latency = live.audio.latency
    finally:
        live.close()
    assert max(bass) > 0.8 and max(brightness) > 4.0  # the swarm brightened with the bass it heard
    assert "audio bass" in lines and "bpm" in lines
    frame_seconds = (time.monotonic() - started) / len(shown)
    assert latency < frame_seconds + BLOCK / RATE + 0.1  # a frame and a block, and the test's own pauses
    session = read_session(record)
    assert session.frames[-1].samples > RATE  # more than a second of sound was recorded with the set
    replayed = render_frames(ctx, load_piece(tmp_path / "bass.toml"), SMALL, 30, len(shown), session.seed, session,
                             Soundtrack(session.sound()), heard_live=True)
    for number, ((_, replay_frame), live_frame) in enumerate(zip(replayed, shown, strict=True)):
        assert np.array_equal(live_frame.reshape(replay_frame.shape[0], -1, 4)[::-1].reshape(-1), replay_frame.reshape(-1)), number


def test_a_missing_audio_device_is_said_and_the_show_goes_on(ctx, tmp_path, sound_card, caplog):
    caplog.set_level(logging.WARNING)
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(audio_in="no such card"))
    try:
        for _ in range(3):
            live.step()
        assert live.piece.registry.value("audio.bass") == 0.0
        assert "error: no sound: audio input no such card: no audio input 'no such card'; the inputs are" in "\n".join(
            live.hud_lines(60.0, 16.0))
    finally:
        live.close()
    assert sum("no audio input 'no such card'" in r.message for r in caplog.records) == 1  # said once, not every frame


def test_a_device_that_vanishes_mid_show_is_said_once_and_found_again(ctx, tmp_path, sound_card, caplog):
    caplog.set_level(logging.WARNING)
    track = write_wav(tmp_path / "bass.wav", tone(60.0, 20.0, 0.8))
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(audio_in="pulse"))

    def step_until(done, seconds):
        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline:
            live.step()
            time.sleep(0.02)
        return done()

    try:
        sound_card.play(track)
        assert step_until(lambda: live.audio.samples > RATE // 2, 8.0)
        subprocess.run(["pulseaudio", "--kill"], timeout=20)  # the sound server, and every device with it, is gone
        assert step_until(lambda: live.audio.absent is not None, 5.0)
        assert live.piece.registry.value("audio.bass") == 0.0  # the levels fall to silence
        assert any(line.startswith("error: no sound: audio input pulse stopped") for line in live.hud_lines(60.0, 16.0))
        heard = live.audio.samples
        start_pulseaudio()
        subprocess.run(["pactl", "load-module", "module-null-sink", f"sink_name={sound_card.sink}"], capture_output=True, timeout=20)
        sound_card.play(track)
        assert step_until(lambda: live.audio.absent is None and live.audio.samples > heard + RATE // 4, 15.0)
    finally:
        live.close()
    assert sum("stopped: the device is gone" in r.message for r in caplog.records) == 1
