"""Exceptions that carry their HTTP status.

Raise them where the fault is found; the API layer turns them into the
StarlingX error body in one place (:mod:`stxcommon.api.errors`).
"""


class StxError(Exception):
    """Base class: a message template and an HTTP code."""

    message = 'An unknown error occurred.'
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.message % kwargs
            except (KeyError, TypeError):
                message = self.message
        super().__init__(message)

    def __str__(self):
        return self.args[0]


class Invalid(StxError):
    message = 'Invalid input: %(reason)s'
    code = 400


class NotFound(StxError):
    message = 'Resource could not be found.'
    code = 404


class Conflict(StxError):
    message = 'Conflict: %(reason)s'
    code = 409


class NotAuthorized(StxError):
    message = 'Not authorized.'
    code = 403


class PolicyNotAuthorized(NotAuthorized):
    message = 'Policy does not allow %(action)s to be performed.'


class ServiceUnavailable(StxError):
    message = 'Service unavailable: %(reason)s'
    code = 503
