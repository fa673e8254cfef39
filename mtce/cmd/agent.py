"""mtce-agent: host life cycle, heartbeat, BMC control, recovery."""

import sys

from mtce.agent import service as agent_service
from mtce import conf as mtce_conf
from stxcommon import config
from stxcommon import service


def main(argv=None):
    conf = mtce_conf.new_conf()
    config.parse_args(conf, 'mtce', sys.argv[1:] if argv is None else argv)
    return service.run(conf, agent_service.build(conf))
