"""Errors of the inventory service, each with its HTTP code."""

from stxcommon import exception


class SystemNotFound(exception.NotFound):
    message = 'System %(uuid)s could not be found.'


class HostNotFound(exception.NotFound):
    message = 'Host %(host)s could not be found.'


class InventoryItemNotFound(exception.NotFound):
    message = '%(kind)s %(uuid)s could not be found.'


class HostExists(exception.Conflict):
    message = 'A host with %(field)s %(value)s already exists.'


class HostNotLocked(exception.Invalid):
    message = ('Host %(host)s must be locked to %(what)s; it is '
               '%(administrative)s.')


class InvalidInventory(exception.Invalid):
    message = 'Invalid inventory report: %(reason)s'


class InvalidChange(exception.Invalid):
    message = '%(reason)s'


class HostActionRefused(exception.Invalid):
    message = 'Cannot %(action)s host %(host)s: %(reason)s'


class HostBusy(exception.Conflict):
    message = ('Host %(host)s is busy with %(task)s; try again when it '
               'is done.')


class ConfigRefused(exception.Invalid):
    message = 'Cannot change the configuration of host %(host)s: %(reason)s'
