"""sysinv-conductor: records the inventory the agents report."""

import sys

from stxcommon import config
from stxcommon import service
from sysinv.conductor import service as conductor_service
from sysinv import conf as sysinv_conf


def main(argv=None):
    conf = sysinv_conf.new_conf()
    config.parse_args(conf, 'sysinv', sys.argv[1:] if argv is None else argv)
    return service.run(conf, conductor_service.build(conf))
