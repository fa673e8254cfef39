"""sysinv-api: the inventory REST API (port 6385) under cheroot's threads.

In production, ``sysinv.wsgi.api:application`` can run under gunicorn.
"""

import sys

from stxcommon import config
from stxcommon import service
from sysinv.api import app
from sysinv import conf as sysinv_conf


def main(argv=None):
    conf = sysinv_conf.new_conf()
    config.parse_args(conf, 'sysinv', sys.argv[1:] if argv is None else argv)
    api = service.WSGIService('sysinv-api', lambda: app.setup_app(conf),
                              conf.api.bind_host, conf.api.bind_port,
                              conf.api.threads)
    return service.run(conf, api)
