"""What every helper process (OSC receiver, audience server, scene loader) does first."""

import signal


def leave_ctrl_c_to_the_show() -> None:
    """Ctrl-C at a terminal reaches the whole process group: the show stops and closes its
    helpers, so a helper ignores it instead of dying mid-message with a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
