"""Errors of the fault service, each with its HTTP code."""

from stxcommon import exception


class AlarmNotFound(exception.NotFound):
    message = 'Alarm %(uuid)s could not be found.'


class EventLogNotFound(exception.NotFound):
    message = 'Event log %(uuid)s could not be found.'


class EventSuppressionNotFound(exception.NotFound):
    message = 'Event suppression %(uuid)s could not be found.'


class InvalidQuery(exception.Invalid):
    message = 'Invalid query: %(reason)s'
