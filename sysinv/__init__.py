"""Inventory and configuration: hosts, CPUs, memory, disks, ports."""

import stxcommon  # noqa: F401  (selects the threading backend first)
