"""``application`` for gunicorn or uwsgi:
gunicorn sysinv.wsgi.api:application.

Config files come from SYSINV_CONFIG_FILES (comma separated), else the
usual /etc/sysinv/sysinv.conf search.
"""

import os

from stxcommon import backend

backend.init_threading()

from stxcommon import config  # noqa: E402
from sysinv.api import app  # noqa: E402
from sysinv import conf as sysinv_conf  # noqa: E402


def _build():
    conf = sysinv_conf.new_conf()
    files = [f for f in os.environ.get('SYSINV_CONFIG_FILES', '').split(',')
             if f]
    config.parse_args(conf, 'sysinv', [], default_config_files=files or None)
    return app.setup_app(conf)


application = _build()
