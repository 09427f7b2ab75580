"""Unattended operation: systemd's notify protocol over a real socket, a state snapshot that
survives kill -9, and the unit file."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from neoterra_glow.cli import main
from neoterra_glow.live.service import unit_file
from tests.conftest import preset_with_bots

ROOT = Path(__file__).resolve().parents[2]  # the checkout, so `-m neoterra_glow` runs its own package


def start_show(tmp_path, *extra, env=None):
    """A headless show of the default preset with 20,000 bots (written into `tmp_path`): what these tests ask of a show,
    its ports, clocks, lights and state, does not hang on the swarm's size, and a full one starves them on llvmpipe."""
    preset = preset_with_bots(tmp_path, "default", 20_000)
    command = [sys.executable, "-m", "neoterra_glow", "show", str(preset), "--headless", "--size", "64x36", "--fps", "20",
               "--osc-port", "0", "--oscquery-port", "0", *extra]
    show = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    banner = show.stdout.readline()
    ports = re.search(r"udp://127\.0\.0\.1:(\d+); OSCQuery on (http://127\.0\.0\.1:\d+)/", banner)
    assert ports, banner + show.stderr.read() if show.poll() is not None else banner
    return show, int(ports.group(1)), ports.group(2)


def value(query, path):
    with urllib.request.urlopen(f"{query}{path}?VALUE", timeout=5) as response:
        return json.loads(response.read())["VALUE"][0]


def test_a_service_says_it_is_ready_then_beats_from_every_frame_until_it_stops(tmp_path):
    address = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(30)
    show, _, _ = start_show(tmp_path, "--service", env={"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "600000"})
    try:
        said = [listener.recv(4096).decode() for _ in range(4)]
        assert said[0].startswith("READY=1\nSTATUS=")
        assert all(line.startswith("WATCHDOG=1\nSTATUS=") for line in said[1:])
        assert "fps" in said[-1]
    finally:
        show.send_signal(signal.SIGTERM)
        show.communicate(timeout=30)
    messages = []
    listener.settimeout(0.5)
    try:
        while True:
            messages.append(listener.recv(4096).decode())
    except TimeoutError:
        pass
    assert messages and messages[-1] == "STOPPING=1"
    listener.close()


def test_a_show_killed_outright_resumes_its_state(tmp_path):
    state = tmp_path / "state.json"
    show, osc_port, query = start_show(tmp_path, "--state", str(state))
    try:
        from pythonosc.udp_client import SimpleUDPClient

        sender = SimpleUDPClient("127.0.0.1", osc_port)
        sender.send_message("/swarm/hold", 33.0)
        sender.send_message("/emotion/joy", 0.7)
        sender.send_message("/output/corners/top_left", [0.1, 0.9])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            saved = json.loads(state.read_text()) if state.exists() else {}
            if saved.get("values", {}).get("swarm.hold") == 33.0:
                break
            time.sleep(0.2)
        assert saved["values"]["swarm.hold"] == 33.0
    finally:
        show.send_signal(signal.SIGKILL)
        show.communicate(timeout=30)
    again, _, query = start_show(tmp_path, "--state", str(state))
    try:
        assert value(query, "/swarm/hold") == 33.0
        assert value(query, "/emotion/joy") == pytest.approx(0.7)
        with urllib.request.urlopen(f"{query}/output/corners/top_left?VALUE", timeout=5) as response:
            assert json.loads(response.read())["VALUE"] == pytest.approx([0.1, 0.9])
    finally:
        again.send_signal(signal.SIGTERM)
        again.communicate(timeout=30)


def test_the_unit_asks_systemd_to_watch_and_restart_the_show(tmp_path):
    unit = unit_file(["festival", "--fullscreen", "--monitor", "1"], tmp_path)
    assert "Type=notify" in unit and "WatchdogSec=10" in unit and "Restart=always" in unit
    command = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)
    assert "show festival --fullscreen --monitor 1 --service --state" in command
    assert f"--log-file {tmp_path.resolve()}/neoterra-glow.log" in command
    done = subprocess.run([sys.executable, "-m", "neoterra_glow", "install-service", "--unit-dir", str(tmp_path / "units"),
                           "--folder", str(tmp_path), "--display", ":0", "calm"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    written = tmp_path / "units" / "neoterra-glow.service"
    assert done.returncode == 0 and written.read_text().count("show calm --service") == 1
    if shutil.which("systemd-analyze"):  # systemd's own reading of it, where systemd is installed
        verified = subprocess.run(["systemd-analyze", "verify", str(written)], capture_output=True, text=True, timeout=60)
        assert verified.returncode == 0, verified.stderr


def install_service(tmp_path, monkeypatch, capsys, *words, display=":7"):
    """`neoterra-glow install-service WORDS` with the user's units under tmp_path (XDG_CONFIG_HOME)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    if display is None:
        monkeypatch.delenv("DISPLAY", raising=False)
    else:
        monkeypatch.setenv("DISPLAY", display)
    code = main(["install-service", "--folder", str(tmp_path), *words])
    return code, capsys.readouterr(), tmp_path / "config" / "systemd" / "user" / "neoterra-glow.service"


def test_a_user_unit_goes_under_xdg_config_home_with_this_display_and_waits_for_no_network(tmp_path, monkeypatch, capsys):
    code, said, unit = install_service(tmp_path, monkeypatch, capsys, "calm", "--fullscreen")
    text = unit.read_text()
    assert code == 0 and "Environment=DISPLAY=:7\n" in text and "show calm --fullscreen --service" in text
    assert "network-online" not in text and "After=graphical-session.target" in text
    assert "loginctl enable-linger" in said.out


def test_the_display_can_be_named_and_a_headless_show_needs_none(tmp_path, monkeypatch, capsys):
    code, _, unit = install_service(tmp_path, monkeypatch, capsys, "--display", ":1", "calm")
    assert code == 0 and "Environment=DISPLAY=:1\n" in unit.read_text()
    code, _, unit = install_service(tmp_path, monkeypatch, capsys, "--name", "quiet", "calm", "--headless", display=None)
    quiet = unit.with_name("quiet.service").read_text()
    assert code == 0 and "DISPLAY" not in quiet and "show calm --headless --service" in quiet


def test_a_windowed_show_with_no_display_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    code, said, unit = install_service(tmp_path, monkeypatch, capsys, "calm", display=None)
    assert code == 2 and not unit.exists()
    assert said.err.count("\n") == 1 and "--display" in said.err


def test_a_flag_show_does_not_take_is_refused_in_one_line_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    code, said, unit = install_service(tmp_path, monkeypatch, capsys, "calm", "--fulscreen")
    assert code == 2 and not unit.exists()
    assert said.err.count("\n") == 1 and "unrecognized arguments: --fulscreen" in said.err


def test_a_folder_that_does_not_exist_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    code = main(["install-service", "--folder", str(tmp_path / "nowhere"), "--display", ":0", "calm"])
    said = capsys.readouterr()
    assert code == 2 and said.err.count("\n") == 1 and "nowhere: no such folder" in said.err
    assert not (tmp_path / "config").exists()


def test_an_existing_unit_is_replaced_only_with_force(tmp_path, monkeypatch, capsys):
    assert install_service(tmp_path, monkeypatch, capsys, "calm")[0] == 0
    code, said, unit = install_service(tmp_path, monkeypatch, capsys, "festival")
    assert code == 2 and "--force" in said.err and "show calm --service" in unit.read_text()
    code, _, unit = install_service(tmp_path, monkeypatch, capsys, "--force", "festival")
    assert code == 0 and "show festival --service" in unit.read_text()


def test_the_qr_codes_go_to_the_users_cache_not_the_folder_the_show_started_in(tmp_path):
    before = set(ROOT.iterdir())
    cache = tmp_path / "cache"
    show, _, _ = start_show(tmp_path, "--audience", "0", "--audience-host", "127.0.0.1",
                            "--calibration", str(tmp_path / "calibration.json"), env={"XDG_CACHE_HOME": str(cache)})
    try:
        banner = show.stdout.readline() + show.stdout.readline()
    finally:
        show.send_signal(signal.SIGTERM)
        show.communicate(timeout=30)
    audience, remote = re.search(r"its QR code: (\S+)\)", banner), re.search(r"its QR code, with the token: (\S+)\)", banner)
    assert audience and remote, banner
    assert Path(audience.group(1)) == cache / "neoterra-glow" / "audience-qr.png"
    assert Path(remote.group(1)) == cache / "neoterra-glow" / "remote-qr.png"
    assert Path(remote.group(1)).stat().st_mode & 0o777 == 0o600  # it holds the token
    assert (cache / "neoterra-glow").stat().st_mode & 0o777 == 0o700
    assert all(Path(m.group(1)).read_bytes().startswith(b"\x89PNG") for m in (audience, remote))
    assert set(ROOT.iterdir()) == before  # the checkout (the show's working folder) holds nothing new
