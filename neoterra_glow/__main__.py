import sys

from neoterra_glow.cli import main

sys.exit(main())
