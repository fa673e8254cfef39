"""``application`` for gunicorn or uwsgi: gunicorn fm.wsgi.api:application.

Config files come from FM_CONFIG_FILES (comma separated), else the usual
/etc/fm/fm.conf search.
"""

import os

from stxcommon import backend

backend.init_threading()

from fm.api import app  # noqa: E402
from fm import conf as fm_conf  # noqa: E402
from stxcommon import config  # noqa: E402


def _build():
    conf = fm_conf.new_conf()
    files = [f for f in os.environ.get('FM_CONFIG_FILES', '').split(',') if f]
    config.parse_args(conf, 'fm', [], default_config_files=files or None)
    return app.setup_app(conf)


application = _build()
