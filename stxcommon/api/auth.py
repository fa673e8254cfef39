"""Authentication in front of every API: keystonemiddleware, or noauth.

``noauth`` exists for unit tests: it trusts the caller's X-Roles,
X-User-Id and X-Project-Id headers (default: an admin) and logs a loud
warning, since anyone can then do anything.
"""

import logging

from keystonemiddleware import auth_token

LOG = logging.getLogger(__name__)

_NOAUTH_DEFAULTS = {
    'HTTP_X_ROLES': 'admin,member,reader',
    'HTTP_X_USER_ID': 'noauth-user',
    'HTTP_X_PROJECT_ID': 'noauth-project',
    'HTTP_X_IDENTITY_STATUS': 'Confirmed',
}


class NoAuthMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        for key, value in _NOAUTH_DEFAULTS.items():
            environ.setdefault(key, value)
        return self.app(environ, start_response)


class PublicPathsMiddleware:
    """Serve ``public_paths`` (the version documents) without a token."""

    def __init__(self, authenticated_app, public_app, public_paths):
        self.authenticated_app = authenticated_app
        self.public_app = public_app
        self.public_paths = frozenset(public_paths)

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '/').rstrip('/') or '/'
        if path in self.public_paths and environ['REQUEST_METHOD'] == 'GET':
            return self.public_app(environ, start_response)
        return self.authenticated_app(environ, start_response)


def wrap(app, conf, public_paths=('/',)):
    """Put the configured authentication in front of ``app``."""
    if conf.auth_strategy == 'noauth':
        LOG.warning('auth_strategy=noauth: this API accepts every request '
                    'without authentication. Use it for unit tests only.')
        return NoAuthMiddleware(app)
    authenticated = auth_token.AuthProtocol(app, {'oslo_config_config': conf})
    return PublicPathsMiddleware(authenticated, app, public_paths)
