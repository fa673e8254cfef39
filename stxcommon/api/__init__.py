"""The REST layer every service shares: app factory, hooks, errors, auth."""

import pecan

from stxcommon import policy


def context():
    """The RequestContext of the request being served."""
    return pecan.request.context


def authorize(rule, target=None):
    """Check ``rule`` for the current request; raises a 403 error."""
    policy.authorize(pecan.request.enforcer, rule, pecan.request.context,
                     target)
