"""A sender in a process of its own for the NDI layer's tests: `python -m tests.murals.ndi_sender NAME TURN`
sends a known picture (four coloured quarters, turned TURN places) at 30 frames a second until it is stopped."""

import sys
import time

import numpy as np

from neoterra_glow.output.stream import NdiSender

SIZE = (64, 36)
QUARTERS = ((230, 30, 30), (30, 220, 40), (40, 40, 230), (240, 240, 240))  # top left, top right, bottom left, bottom right


def picture(turn: int) -> np.ndarray:
    """The picture sent, RGBA, top row first: its quarters' colours are QUARTERS turned `turn` places."""
    colours = QUARTERS[turn % 4:] + QUARTERS[:turn % 4]
    width, height = SIZE
    image = np.full((height, width, 4), 255, np.uint8)
    for index, colour in enumerate(colours):
        rows = slice(0, height // 2) if index < 2 else slice(height // 2, height)
        columns = slice(0, width // 2) if index % 2 == 0 else slice(width // 2, width)
        image[rows, columns, :3] = colour
    return image


def main() -> None:
    name, turn = sys.argv[1], int(sys.argv[2])
    sender = NdiSender(name, SIZE, 30)
    image = picture(turn)
    print("sending", flush=True)
    while True:
        sender.write(image)
        time.sleep(1 / 30)


if __name__ == "__main__":
    main()
