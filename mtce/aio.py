"""Host maintenance's part of the all-in-one (``stx-aio``).

No REST API of its own (StarlingX's mtce has none in the catalog):
mtce-agent runs as a service on the all-in-one's broker, takes sysinv's
host actions and watches the simulated hosts, whose mtce-clients and BMCs
hostsim runs (every BMC on the fleet's one port).
"""

from stxcommon import aio

HEARTBEAT_KEY_FILE = 'mtce-heartbeat.key'
ALIVE_PORT_FILE = 'mtce-alive-port'
ALIVE_ADDRESS = '127.0.0.1'


def heartbeat_key_file(context):
    """Where the all-in-one keeps the heartbeat key (made on first use)."""
    return context.path(HEARTBEAT_KEY_FILE)


def alive_address(context):
    """Where mtce-agent takes the simulated hosts' alive messages: a UDP
    port picked once and kept, so hostsim (built first) and mtce-agent
    agree on it across restarts."""
    return ALIVE_ADDRESS, aio.kept_udp_port(context.path(ALIVE_PORT_FILE),
                                            ALIVE_ADDRESS)


class MtcePlugin(aio.Plugin):
    name = 'mtce'
    service_type = None
    # After sysinv, whose actions it takes, and after the simulated hosts:
    # so it stops before them, rather than see every host fail as the
    # all-in-one shuts down (their alive messages repeat every 5 s).
    order = 95

    def build(self, context):
        from mtce.agent import service as agent_service
        from mtce import conf as mtce_conf
        from stxcommon import messaging

        # sensors show in sysinv soon after a start
        bmc = {'audit_interval': 10}
        if 'hostsim' in context.options.get('services', ()):
            from hostsim import fleet
            bmc['port'] = fleet.shared_bmc_port(context.state_dir)
        address, port = alive_address(context)
        conf = self.configure(context, mtce_conf.new_conf, {
            'heartbeat': {'key_file': heartbeat_key_file(context)},
            'agent': {'sync_interval': 5, 'alive_address': address,
                      'alive_port': port},
            'bmc': bmc})
        rpc = messaging.get_transport(conf)
        notifications = messaging.get_notification_transport(conf)
        agent = agent_service.build(conf, rpc, notifications)
        return aio.Parts(
            app_factory=None, services=[agent],
            cleanups=[rpc.cleanup, notifications.cleanup],
            summary='mtce-agent: heartbeat every %d ms, recovery through '
                    'the BMCs' % conf.heartbeat.period_ms)


PLUGIN = MtcePlugin()
