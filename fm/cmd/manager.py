"""fm-manager: writes fault messages durably and answers fault queries."""

import sys

from fm import conf as fm_conf
from fm.manager import service as manager_service
from stxcommon import config
from stxcommon import service


def main(argv=None):
    conf = fm_conf.new_conf()
    config.parse_args(conf, 'fm', sys.argv[1:] if argv is None else argv)
    return service.run(conf, manager_service.build(conf))
