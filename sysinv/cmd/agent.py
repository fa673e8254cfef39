"""sysinv-agent: reads this host's hardware and reports it to sysinv."""

import sys

from stxcommon import config
from stxcommon import service
from sysinv.agent import service as agent_service
from sysinv import conf as sysinv_conf


def main(argv=None):
    conf = sysinv_conf.new_conf()
    config.parse_args(conf, 'sysinv', sys.argv[1:] if argv is None else argv)
    return service.run(conf, agent_service.AgentService(conf))
