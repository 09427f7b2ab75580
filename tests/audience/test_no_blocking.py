"""The show and the audience page's process never wait on each other (issue 21, finding 7):
with 800 stories waiting for the operator, three visitors sending names froze the show for
minutes, both processes blocked sending to the other on one pipe. Here, a real page process,
real HTTP from many loopback addresses, and the frame loop timed."""

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.audience.test_participation import call, live, steps_until  # noqa: F401 (a fixture)

WORDS = "sea morning harbour light summer boats gulls song grandmother wall lanterns river".split()
STORIES = 800
FREEZE = 30.0  # seconds without a frame after which the page's process is killed, so a frozen show ends


def story(n: int) -> str:
    return (f"story {n}: " + " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(45)))[:250]


def fill(show, stories: int) -> int:
    """About `stories` waiting for the operator, six from each address (its visitor's burst); how many."""
    def send(n):
        return call(show, "/api/send", {"text": story(n), "kind": "story"}, source=f"127.0.1.{n // 6 + 1}")[0]

    with ThreadPoolExecutor(8) as pool:
        sent = [pool.submit(send, n) for n in range(stories)]
        assert steps_until(show, lambda: all(s.done() for s in sent), 600.0)
    waiting = [s.result() for s in sent].count(202)
    assert waiting > stories * 0.99
    assert steps_until(show, lambda: len(show.audience.pending) >= waiting, 30.0)
    return waiting


def test_800_waiting_stories_and_three_visitors_never_freeze_the_show(live):  # noqa: F811
    waiting = fill(live, STORIES)
    stop, answers, gaps, killed = threading.Event(), [], [], []
    last_frame = [time.monotonic()]

    def visitor(k):
        n = 0
        while not stop.is_set():
            try:
                answers.append(call(live, "/api/send", {"text": f"Visitor {k} {n}", "kind": "name"}, source=f"127.0.2.{k + 1}")[0])
            except OSError as error:  # a page that does not answer
                answers.append(type(error).__name__)
            n += 1
            time.sleep(0.3)

    def watchdog():
        while not stop.is_set():
            if time.monotonic() - last_frame[0] > FREEZE and not killed:
                killed.append(True)
                os.kill(live.audience._process.pid, signal.SIGKILL)  # the only way out of the deadlock
            time.sleep(0.5)

    threads = [threading.Thread(target=visitor, args=(k,)) for k in range(3)] + [threading.Thread(target=watchdog)]
    for thread in threads:
        thread.start()
    try:
        until = time.monotonic() + 15.0
        while time.monotonic() < until:
            live.step()
            now = time.monotonic()
            gaps.append(now - last_frame[0])
            last_frame[0] = now
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    swarm = live.pipeline["swarm"]
    print(f"{len(gaps)} frames, the longest {max(gaps):.2f} s; {len(swarm.atlas.glyphs)} faces on the wall")
    assert not killed, f"the show froze for {max(gaps):.0f} s"
    assert max(gaps) < 3.0, f"a frame waited {max(gaps):.1f} s"
    assert answers.count(200) >= 9  # three visitors, each heard a few times
    assert steps_until(live, lambda: sum(g.name.startswith("Visitor") for g in swarm.atlas.glyphs) >= 6)
    assert len(live.audience.pending) == waiting  # and every story still waits for the operator
