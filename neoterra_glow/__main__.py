import sys

from neoterra_glow.cli import main

if __name__ == "__main__":
    sys.exit(main())
