"""Simulated hosts: generated hardware trees, agents and BMCs."""

import stxcommon  # noqa: F401  (selects the threading backend first)
