"""Errors of the BMC client: one class per way a BMC request can fail.

Each message names the BMC as address:port so that an alarm reason or a
log line says which host's BMC failed; none ever carries a password.
"""


class BmcError(Exception):
    """A BMC request failed (the base of every BMC client error)."""

    def __init__(self, message, address=None, port=None):
        super(BmcError, self).__init__(message)
        self.address = address
        self.port = port


class BmcAuthError(BmcError):
    """The BMC refused the login: wrong user name or password."""


class BmcUnreachable(BmcError):
    """The BMC gave no answer within the client's timeout.

    :attr:`waited` is how long the client waited, in seconds.
    """

    def __init__(self, message, address=None, port=None, waited=None):
        super(BmcUnreachable, self).__init__(message, address, port)
        self.waited = waited
