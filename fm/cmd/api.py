"""fm-api: the fault REST API (port 18002) under cheroot's threads.

In production, ``fm.wsgi.api:application`` can run under gunicorn instead.
"""

import sys

from fm.api import app
from fm import conf as fm_conf
from stxcommon import config
from stxcommon import service


def main(argv=None):
    conf = fm_conf.new_conf()
    config.parse_args(conf, 'fm', sys.argv[1:] if argv is None else argv)
    api = service.WSGIService('fm-api', lambda: app.setup_app(conf),
                              conf.api.bind_host, conf.api.bind_port,
                              conf.api.threads)
    return service.run(conf, api)
