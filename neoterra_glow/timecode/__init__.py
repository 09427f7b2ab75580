"""Timecode: the show sends MIDI timecode from its clock and chases it in."""
