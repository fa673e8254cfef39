"""Pecan hooks: request context, policy enforcer and service handles."""

import json

from oslo_context import context
import pecan
from wsme import types as wtypes

from stxcommon import exception


class ContextHook(pecan.hooks.PecanHook):
    """Build the RequestContext from the headers auth_token set."""

    def before(self, state):
        state.request.context = context.RequestContext.from_environ(
            state.request.environ)


class AttachHook(pecan.hooks.PecanHook):
    """Attach service-wide objects (db, enforcer, rpc clients) to requests.

    Pecan's own ``pecan.conf`` is global to the process; handles passed this
    way keep services that share a process apart.
    """

    def __init__(self, **handles):
        self.handles = handles

    def before(self, state):
        for name, handle in self.handles.items():
            setattr(state.request, name, handle)


class BodyShapeHook(pecan.hooks.PecanHook):
    """Refuse a JSON body of the wrong shape (list for object, or back).

    WSME crashes with a 500 on such bodies; this turns them into a 400.
    """

    def before(self, state):
        funcdef = getattr(state.controller, '_wsme_definition', None)
        if funcdef is None or funcdef.body_type is None:
            return
        try:
            body = json.loads(state.request.body or b'null')
        except ValueError:
            return  # WSME answers malformed JSON with its own 400.
        if isinstance(funcdef.body_type, wtypes.ArrayType):
            expected, name = list, 'a JSON list'
        else:
            expected, name = dict, 'a JSON object'
        if not isinstance(body, expected):
            raise exception.Invalid(reason='the request body must be %s'
                                    % name)
