"""The participation page in a real browser: Debian's chromium, headless, driven by Playwright
(with that system browser: nothing is downloaded), at a phone's size."""

import shutil
import time

import pytest

from tests.audience.test_participation import live, steps_until  # noqa: F401 (a fixture)

CHROMIUM = shutil.which("chromium")


@pytest.fixture
def phone():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); scripts/test.sh installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright drives the browser (a test extra)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        yield page
        browser.close()


def test_a_visitor_on_a_phone_sends_a_smile_and_moves_the_room(live, phone, tmp_path):  # noqa: F811
    phone.goto(f"http://127.0.0.1:{live.audience.port}/")
    phone.fill("#text", "Noor")
    phone.wait_for_selector("#preview:not([hidden])", timeout=15_000)
    phone.wait_for_function("document.getElementById('preview').naturalWidth === 256", timeout=15_000)
    phone.screenshot(path=str(tmp_path / "phone-preview.png"), full_page=True)
    before = len(live.pipeline["swarm"].atlas)
    phone.click("#send")
    phone.wait_for_function("document.getElementById('status').textContent.includes('wall')", timeout=15_000)
    assert steps_until(live, lambda: len(live.pipeline["swarm"].atlas) == before + 1)
    assert live.pipeline["swarm"].atlas.glyphs[-1].name == "Noor"
    phone.fill("input[name=hope]", "1")  # a range input takes its value, and says so with an input event
    phone.dispatch_event("input[name=hope]", "input")
    assert steps_until(live, lambda: live.piece.registry.value("emotion.hope") > 0.15)
    phone.screenshot(path=str(tmp_path / "phone-sent.png"), full_page=True)
    time.sleep(0.1)


def test_the_operator_runs_the_show_from_the_remote(live, phone, tmp_path):  # noqa: F811
    phone.set_viewport_size({"width": 1280, "height": 900})
    steps_until(live, lambda: live.audience._schema is not None)
    phone.goto(live.audience.remote_url.replace(live.audience.url, f"http://127.0.0.1:{live.audience.port}/"))
    phone.wait_for_selector("input[data-address='/swarm/brightness']", timeout=15_000)
    slider = "input[data-address='/swarm/brightness']"
    phone.eval_on_selector(slider, "s => { s.value = 6; s.dispatchEvent(new Event('input')); }")
    assert steps_until(live, lambda: live.piece.registry.value("swarm.brightness") == 6.0)
    phone.click("#blackout")
    assert steps_until(live, lambda: live.piece.registry.value("output.blackout") is True)
    steps_until(live, lambda: False, 1.5)  # a preview and the HUD arrive
    phone.wait_for_function("document.getElementById('hud').textContent.includes('fps')", timeout=10_000)
    phone.screenshot(path=str(tmp_path / "remote.png"))


def test_the_operator_pages_through_what_waits_and_keeps_it_all_off(live, phone, tmp_path):  # noqa: F811
    from tests.audience.test_no_blocking import fill

    waiting = fill(live, 25)
    phone.set_viewport_size({"width": 1280, "height": 900})
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.goto(live.audience.remote_url.replace(live.audience.url, f"http://127.0.0.1:{live.audience.port}/"))
    phone.wait_for_function(f"document.getElementById('waiting-count').textContent === '{waiting} waiting, page 1 of 2'",
                            timeout=15_000)
    assert phone.locator("#waiting li").count() == 20
    phone.click("#later")
    phone.wait_for_function(f"document.querySelectorAll('#waiting li').length === {waiting - 20}", timeout=10_000)
    phone.screenshot(path=str(tmp_path / "remote-waiting.png"))
    phone.click("#reject-all")
    assert steps_until(live, lambda: not live.audience.pending)
    phone.wait_for_function("document.getElementById('waiting').hidden", timeout=10_000)
