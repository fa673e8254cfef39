"""Validation of the common query parameters, at the edge of every API.

Each helper raises :class:`stxcommon.exception.Invalid` (HTTP 400) with a
message that names the parameter, so bad input never reaches the database.
"""

from urllib import parse
import uuid as uuid_lib

from oslo_utils import timeutils
import pecan
from wsme import types as wtypes

from stxcommon import exception

OPERATORS = ('eq', 'ne', 'lt', 'le', 'gt', 'ge')


def _set(value):
    return value is not None and value is not wtypes.Unset


def check_uuid(value, name='uuid'):
    try:
        return str(uuid_lib.UUID(value))
    except (TypeError, ValueError, AttributeError):
        raise exception.Invalid(reason='%s %r is not a valid UUID'
                                % (name, value))


def check_bool(value, name):
    """Strict booleans: 'perhaps' is an error, not False."""
    if not _set(value):
        return False
    lowered = str(value).strip().lower()
    if lowered in ('true', '1', 'yes', 'on'):
        return True
    if lowered in ('false', '0', 'no', 'off', ''):
        return False
    raise exception.Invalid(reason='%s must be true or false, not %r'
                            % (name, value))


def check_limit(limit, max_limit):
    """The page size: ``max_limit`` when absent, else 1..max_limit."""
    if not _set(limit):
        return max_limit
    if limit < 1 or limit > max_limit:
        raise exception.Invalid(reason='limit must be between 1 and %d, '
                                'not %d' % (max_limit, limit))
    return limit


def check_sort(sort_key, sort_dir, allowed_keys, default_key):
    sort_key = sort_key if _set(sort_key) else default_key
    sort_dir = sort_dir if _set(sort_dir) else 'desc'
    if sort_key not in allowed_keys:
        raise exception.Invalid(reason='sort_key must be one of: %s'
                                % ', '.join(allowed_keys))
    if sort_dir not in ('asc', 'desc'):
        raise exception.Invalid(reason="sort_dir must be 'asc' or 'desc'")
    return sort_key, sort_dir


def to_datetime(value):
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise exception.Invalid(reason='%r is not an ISO 8601 time' % value)


def parse_query(queries, fields):
    """``q`` filters to ``(field, op, value)`` triples.

    ``fields`` maps each allowed field to a converter of its value, or to
    ``(column, forced_op, converter)`` for pseudo-fields such as ``start``.
    """
    triples = []
    for query in queries or ():
        if not _set(query.field) or query.field not in fields:
            raise exception.Invalid(reason='cannot filter on %r; fields '
                                    'are: %s' % (query.field,
                                                 ', '.join(sorted(fields))))
        op = query.op if _set(query.op) and query.op else 'eq'
        if op not in OPERATORS:
            raise exception.Invalid(reason='operator %r is not one of: %s'
                                    % (op, ', '.join(OPERATORS)))
        if not _set(query.value):
            raise exception.Invalid(reason='filter on %r has no value'
                                    % query.field)
        spec = fields[query.field]
        if isinstance(spec, tuple):
            column, op, convert = spec
        else:
            column, convert = query.field, spec
        triples.append((column, op, convert(query.value)))
    return triples


def next_link(resource_url, limit, items):
    """The URL of the next page (same filters), or None on the last page."""
    if not items or len(items) < limit:
        return None
    params = [(key, value) for key, value in pecan.request.GET.items()
              if key not in ('limit', 'marker')]
    last = items[-1]
    marker = last['uuid'] if isinstance(last, dict) else last.uuid
    params += [('limit', limit), ('marker', marker)]
    return '%s?%s' % (resource_url, parse.urlencode(params))


def resource_url(*parts):
    """Absolute URL under the API root, e.g. resource_url('v1', 'alarms')."""
    return '/'.join([pecan.request.host_url.rstrip('/')] + list(parts))


def links(*parts):
    """StarlingX's self and bookmark links of a resource."""
    return [{'href': resource_url(*parts), 'rel': 'self'},
            {'href': resource_url(*parts[1:]), 'rel': 'bookmark'}]
