"""A helper's sends never wait on the other side: a real pipe nobody reads fills up, the sender
goes on at once, what is over the budget is dropped and counted, and the rest arrives in order."""

import multiprocessing
import time

from neoterra_glow.core.children import Outbox


def test_a_send_to_a_process_that_does_not_read_never_waits():
    reader, writer = multiprocessing.Pipe(duplex=False)
    outbox = Outbox(writer, budget=4 << 20, name="test-outbox")
    block = bytes(200_000)  # a pipe's buffer holds about one
    started = time.perf_counter()
    sent = [outbox.send(("block", n, block)) for n in range(40)]
    took = time.perf_counter() - started
    assert took < 0.5, f"{took:.2f} s to queue 40 sends"
    assert sent.count(True) in range(18, 22) and outbox.dropped == sent.count(False)  # 4 MB held, the rest counted
    received = [reader.recv()[1] for _ in range(sent.count(True))]
    assert received == [n for n, ok in enumerate(sent) if ok]  # in order, whole
    outbox.close()
    reader.close()


def test_a_reader_that_is_gone_is_counted_not_raised():
    reader, writer = multiprocessing.Pipe(duplex=False)
    outbox = Outbox(writer, budget=1 << 20, name="test-outbox")
    reader.close()
    outbox.send(("hello",))
    deadline = time.monotonic() + 5
    while outbox.dropped == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert outbox.dropped >= 1 and outbox.send(("more",)) is False
