"""Direction: what every way of running needs to play a piece as it was directed: the desk
(controls to the registry), the director (scenes and cues) and sessions (recorded and replayed)."""
