"""The smile mirror: a camera's faces measured on the CPU, as numbers only (no image leaves the analysis)."""
