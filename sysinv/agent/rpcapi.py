"""The conductor's way into one host's sysinv-agent over RPC.

Each agent listens on ``<topic>`` under its management MAC as server
name, so a cast reaches that host alone.
"""

from stxcommon import messaging

RPC_VERSION = '1.0'


class AgentAPI:
    """1.0: report_now."""

    def __init__(self, transport, topic='sysinv.agent'):
        self._client = messaging.get_rpc_client(transport, topic,
                                                RPC_VERSION)

    def report_now(self, context, mgmt_mac):
        """Ask the host's agent to report (and take its plan) at once."""
        self._client.prepare(server=mgmt_mac).cast(context, 'report_now')
