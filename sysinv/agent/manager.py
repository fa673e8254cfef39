"""sysinv-agent's RPC endpoint."""

import oslo_messaging as messaging


class AgentManager:
    """Version 1.0: report_now."""

    target = messaging.Target(version='1.0')

    def __init__(self, wake):
        self._wake = wake

    def report_now(self, context):
        """The conductor has a new plan for this host: report at once."""
        self._wake()
