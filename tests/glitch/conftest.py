"""The swarm's fixtures, for the particle faults' tests here."""

from tests.swarm.conftest import quick, swarm  # noqa: F401  (fixtures)
