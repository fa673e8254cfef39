"""mtce-client: answers heartbeat and tells mtce-agent this host is alive."""

import sys

from mtce.client import service as client_service
from mtce import conf as mtce_conf
from stxcommon import config
from stxcommon import service


def main(argv=None):
    conf = mtce_conf.new_conf()
    config.parse_args(conf, 'mtce', sys.argv[1:] if argv is None else argv)
    return service.run(conf, client_service.ClientService(conf))
