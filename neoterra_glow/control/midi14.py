"""14-bit MIDI, for faders finer than 128 steps: a control's value in two CCs (its MSB, then its
LSB: a mapping's cc14 = [msb, lsb], such as [7, 39]) or an NRPN's (its number chosen by CC 99
and 98, its value sent by data entry, CC 6 and 38: a mapping's nrpn = N). Values run 0..16383.

As the MIDI 1.0 specification says, an MSB alone means its LSB is 0: a controller that sends
only the coarse half still moves the parameter, and one that sends both lands on the fine value
(a frame that hears both applies the last). Choosing an RPN (CC 101 and 100) ends the NRPN, so
data entry meant for an RPN moves no NRPN's parameter.
"""

from __future__ import annotations

TOP = 16383  # the largest 14-bit value
NRPN_MSB, NRPN_LSB, RPN_MSB, RPN_LSB, DATA_MSB, DATA_LSB = 99, 98, 101, 100, 6, 38


class WideValues:
    """Each channel's last CC values and the NRPN it has chosen, read as 14-bit values."""

    def __init__(self) -> None:
        self._last = [[0] * 128 for _ in range(16)]  # channel -> CC -> its last value
        self._chosen: list[int | None] = [None] * 16  # channel -> the NRPN its data entry sets, None for none

    def hear(self, channel: int, control: int, value: int) -> tuple[int, int] | None:
        """One CC; (NRPN number, its 14-bit value) when it is data entry for a chosen NRPN."""
        last = self._last[channel]
        last[control] = value
        if control in (NRPN_MSB, NRPN_LSB):
            self._chosen[channel] = last[NRPN_MSB] << 7 | last[NRPN_LSB]
        elif control in (RPN_MSB, RPN_LSB):
            self._chosen[channel] = None
        elif control in (DATA_MSB, DATA_LSB) and (chosen := self._chosen[channel]) is not None:
            return chosen, self.pair(channel, DATA_MSB, DATA_LSB, control)
        return None

    def pair(self, channel: int, msb: int, lsb: int, control: int) -> int:
        """The 14-bit value of an MSB/LSB pair after `control` (one of them) was heard: an MSB resets its LSB to 0."""
        last = self._last[channel]
        return last[msb] << 7 if control == msb else last[msb] << 7 | last[lsb]
