"""A projector wall driven by several machines, frame-locked: a leader owns the clock and every
control; followers run the same deterministic piece and each shows its tile of the canvas."""
