"""Fault management: alarms, event log, suppression."""

import stxcommon  # noqa: F401  (selects the threading backend first)
