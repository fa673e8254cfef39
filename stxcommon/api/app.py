"""Build a service's WSGI application: pecan, hooks and middleware."""

from oslo_middleware import request_id
from oslo_middleware import sizelimit
import pecan

from stxcommon.api import auth
from stxcommon.api import errors
from stxcommon.api import hooks


def make_app(conf, root_controller, enforcer, handles=None,
             public_paths=('/',)):
    """The full middleware stack in front of ``root_controller``.

    ``handles`` become attributes of ``pecan.request`` (see AttachHook).
    """
    app_hooks = [
        hooks.ContextHook(),
        hooks.BodyShapeHook(),
        hooks.AttachHook(conf=conf, enforcer=enforcer, **(handles or {})),
    ]
    app = pecan.make_app(root_controller, hooks=app_hooks, debug=False,
                         force_canonical=False,
                         guess_content_type_from_ext=False)
    app = auth.wrap(app, conf, public_paths)
    app = sizelimit.RequestBodySizeLimiter(app, conf)
    app = errors.ParsableErrorMiddleware(app)
    return request_id.RequestId(app)
