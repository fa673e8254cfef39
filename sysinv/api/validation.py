"""Checks of host and system fields at the edge of the API.

Each raises :class:`stxcommon.exception.Invalid` (HTTP 400) naming the
field, so a bad value never reaches the database.
"""

import ast
import ipaddress
import json
import re

from oslo_utils import uuidutils

from stxcommon import exception
from sysinv import constants
from sysinv.db.sqlalchemy import inventory

# RFC 1123 labels, lower case as StarlingX host names are.
_LABEL = r'[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?'
_HOSTNAME_RE = re.compile(r'^%s(\.%s)*$' % (_LABEL, _LABEL))
MAX_TEXT = 255


def _invalid(reason):
    raise exception.Invalid(reason=reason)


def text(name, value, required=False):
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        _invalid('%s must be a non-empty string' % name if required
                 else '%s must be a string' % name)
    if len(value) > MAX_TEXT:
        _invalid('%s is longer than %d characters' % (name, MAX_TEXT))
    return value


def hostname(value):
    text('hostname', value, required=True)
    if len(value) > 253 or not _HOSTNAME_RE.match(value):
        _invalid('hostname %r is not a valid RFC 1123 host name (lower-case '
                 'letters, digits and hyphens; labels of 1 to 63 characters '
                 'that neither start nor end with a hyphen)' % value)
    if uuidutils.is_uuid_like(value):
        _invalid('hostname %r looks like a UUID' % value)
    return value


def mac(value, name='mgmt_mac'):
    text(name, value, required=True)
    try:
        return inventory.normalize_mac(value, name)
    except exception.Invalid:
        _invalid('%s %r is not a MAC address (e.g. 08:00:27:3d:c2:fe)'
                 % (name, value))


def ip_address(value, name):
    if value is None or value == '':
        return None
    text(name, value)
    try:
        ipaddress.ip_address(value)
    except ValueError:
        _invalid('%s %r is not an IPv4 or IPv6 address' % (name, value))
    return value


def choice(name, value, choices):
    if value not in choices:
        _invalid('%s must be one of: %s; not %r'
                 % (name, ', '.join(choices), value))
    return value


def location(value):
    """A dict such as {"locn": "..."}; StarlingX clients may send it as
    a string holding JSON or a Python literal."""
    if value is None:
        return {}
    if isinstance(value, str):
        parsed = None
        for parse in (json.loads, ast.literal_eval):
            try:
                parsed = parse(value)
                break
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                continue
        value = parsed
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, (str, int, float, bool))
            for k, v in value.items()):
        _invalid('location must be an object of names to values, e.g. '
                 '{"locn": "Rack 4"}')
    return value


# What a new host may be given, and the install settings it gets unless
# given others.
NEW_HOST_FIELDS = ('hostname', 'personality', 'subfunctions', 'mgmt_mac',
                   'mgmt_ip', 'bm_type', 'bm_ip', 'bm_username', 'serialid',
                   'boot_device', 'rootfs_device', 'install_output',
                   'console', 'location', 'bm_password')
INSTALL_DEFAULTS = {'boot_device': 'sda', 'rootfs_device': 'sda',
                    'install_output': 'text', 'console': 'ttyS0,115200'}


def new_host(values):
    """The fields of a host to add, checked and completed with defaults.

    One set of rules for POST /v1/ihosts and for each row of a bulk add.
    """
    unknown = sorted(set(values) - set(NEW_HOST_FIELDS))
    if unknown:
        _invalid('unknown fields: %s' % ', '.join(unknown))
    values = dict(values)
    for required in ('hostname', 'personality', 'mgmt_mac'):
        if values.get(required) is None:
            _invalid('%s is required' % required)
    values['hostname'] = hostname(values['hostname'])
    values['personality'] = choice('personality', values['personality'],
                                   constants.PERSONALITIES)
    values['mgmt_mac'] = mac(values['mgmt_mac'])
    for name, choices in (('bm_type', constants.BM_TYPES),
                          ('install_output', constants.INSTALL_OUTPUTS)):
        if values.get(name) is not None:
            values[name] = choice(name, values[name], choices)
    for name in ('mgmt_ip', 'bm_ip'):
        if name in values:
            values[name] = ip_address(values[name], name)
    for name in ('subfunctions', 'bm_username', 'serialid', 'boot_device',
                 'rootfs_device', 'console'):
        if name in values:
            values[name] = text(name, values[name])
    values['location'] = location(values.get('location'))
    if values.get('bm_password') is not None:
        values['bm_password'] = text('bm_password', values['bm_password'],
                                     required=True)
    bm_type = values.get('bm_type')
    if bm_type not in (None, 'none') and not values.get('bm_ip'):
        _invalid('bm_ip is required when bm_type is %s' % bm_type)
    values.setdefault('subfunctions', values['personality'])
    for name, default in INSTALL_DEFAULTS.items():
        values.setdefault(name, default)
    return values
