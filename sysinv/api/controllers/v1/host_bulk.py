"""/v1/ihosts/bulk_add and /v1/ihosts/bulk_export: hosts by the file.

The answer is StarlingX's: ``success`` (host names, comma-separated) and
``error`` (a line ``<host>: <reason>`` per refused host), plus ``hosts``,
each row's outcome, for clients that want it whole. Each row is its own
transaction, so good rows land whatever the others do, and adding the same
file again changes nothing.
"""

import logging

from stxcommon import exception as stx_exception
from sysinv.api import validation
from sysinv import bulk_xml
from sysinv import exception

LOG = logging.getLogger(__name__)

ADDED = 'added'
UNCHANGED = 'unchanged'
FAILED = 'error'


def uploaded_file(form):
    """The bytes of the multipart field ``file``, as StarlingX's client
    sends the hosts file."""
    item = form.get('file')
    if isinstance(item, (str, bytes)):
        return item
    if not hasattr(item, 'file'):
        raise stx_exception.Invalid(
            reason='send the hosts file as the field "file" of a '
                   'multipart/form-data request')
    return item.file.read()


def _differences(host, values):
    return sorted(name for name, value in values.items()
                  if getattr(host, name) != value)


def _add_one(dbapi, vault, row):
    """ADDED or UNCHANGED; raises an StxError saying why not."""
    values = validation.new_host(row)
    password = values.pop('bm_password', None)
    try:
        host = dbapi.host_get(values['hostname'])
    except exception.HostNotFound:
        if password is not None:
            values['bm_password_enc'] = vault.encrypt(password)
        dbapi.host_create(values)
        return ADDED
    different = _differences(host, values)
    if password is not None and (
            not host.bm_password_enc or
            vault.decrypt(host.bm_password_enc) != password):
        different.append('bm_password')
    if different:
        raise exception.HostExists(
            message='Host %s already exists with a different %s.'
            % (host.hostname, ', '.join(different)))
    return UNCHANGED


def bulk_add(dbapi, vault, document):
    rows = bulk_xml.parse(document)
    outcomes = []
    for position, row in enumerate(rows, 1):
        name = row.get('hostname') or 'host %d' % position
        try:
            outcome = {'hostname': name,
                       'outcome': _add_one(dbapi, vault, row)}
        except (stx_exception.Invalid, stx_exception.Conflict) as error:
            outcome = {'hostname': name, 'outcome': FAILED,
                       'reason': str(error)}
        outcomes.append(outcome)
    counts = {kind: sum(o['outcome'] == kind for o in outcomes)
              for kind in (ADDED, UNCHANGED, FAILED)}
    LOG.info('Bulk add of %d hosts: %d added, %d unchanged, %d refused',
             len(outcomes), counts[ADDED], counts[UNCHANGED], counts[FAILED])
    return {
        'success': ', '.join(o['hostname'] for o in outcomes
                             if o['outcome'] != FAILED),
        'error': '\n'.join('%s: %s' % (o['hostname'], o['reason'])
                           for o in outcomes if o['outcome'] == FAILED),
        'hosts': outcomes,
    }


def bulk_export(dbapi):
    """{"content": the hosts file of every provisioned host}.

    Hosts their agents discovered but nobody named yet have no hostname
    or personality, so a file holding them could not be added back.
    """
    hosts = [host for host in dbapi.host_get_list()
             if host.hostname and host.personality]
    return {'content': bulk_xml.render(hosts)}
