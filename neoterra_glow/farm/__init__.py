"""Long clips rendered in segments on a Ray cluster, from checkpoints, joined into one file."""
