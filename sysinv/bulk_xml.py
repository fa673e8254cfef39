"""StarlingX's hosts XML file: read for bulk add, written by bulk export.

The file is ``<hosts>`` holding one ``<host>`` per host, each field an
element of the same name (``<hostname>``, ``<mgmt_mac>`` ...). It comes
from operators' tooling, so it is parsed with defusedxml and no DTD is
allowed at all: no entity expansion, no external entities.
"""

from xml.etree import ElementTree  # Only to build the export.

import defusedxml
from defusedxml import ElementTree as safe_tree

from stxcommon import exception

# The fields a <host> may give, in the order export writes them.
FIELDS = ('hostname', 'personality', 'subfunctions', 'mgmt_mac', 'mgmt_ip',
          'bm_ip', 'bm_type', 'bm_username', 'bm_password', 'location',
          'boot_device', 'rootfs_device', 'install_output', 'console')
# StarlingX's flag to power the host on through its BMC once added. Power
# control belongs to maintenance, so the flag is accepted and ignored.
_IGNORED = ('power_on',)
# Never written: the file is a plain-text export.
_SECRET = ('bm_password',)


class InvalidHostsFile(exception.Invalid):
    message = 'Invalid hosts file: %(reason)s'


def _invalid(reason):
    raise InvalidHostsFile(reason=reason)


def _fields(element, position):
    """One <host> as {field: text}; empty elements count as not given."""
    where = 'host %d' % position
    name = element.findtext('hostname')
    if name and name.strip():
        where += ' (%s)' % name.strip()
    given = {}
    for child in element:
        if child.tag not in FIELDS + _IGNORED:
            _invalid('%s: unknown element <%s>; a host may have: %s'
                     % (where, child.tag, ', '.join(FIELDS + _IGNORED)))
        if len(child):
            _invalid('%s: <%s> may hold only text' % (where, child.tag))
        if child.tag in given:
            _invalid('%s: <%s> is given twice' % (where, child.tag))
        given[child.tag] = (child.text or '').strip()
    host = {field: text for field, text in given.items()
            if text and field not in _IGNORED}
    if 'location' in host:
        host['location'] = {'locn': host['location']}
    return host


def parse(document):
    """The hosts of a hosts file (bytes or str), as lists of field dicts.

    Rows are not validated here: the API checks each as a host add does.
    """
    if not document or not document.strip():
        _invalid('the file is empty')
    try:
        root = safe_tree.fromstring(document, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        _invalid('a DTD or entity declaration is not allowed')
    except defusedxml.DefusedXmlException:
        _invalid('entities are not allowed')
    except safe_tree.ParseError as error:
        # expat's message names the line and column, never the content.
        _invalid('not well-formed XML: %s' % error)
    if root.tag != 'hosts':
        _invalid('the root element must be <hosts>, not <%s>' % root.tag)
    hosts = []
    for position, element in enumerate(root, 1):
        if element.tag != 'host':
            _invalid('<hosts> may hold only <host> elements, not <%s>'
                     % element.tag)
        hosts.append(_fields(element, position))
    return hosts


def render(hosts):
    """The hosts file of ``hosts`` (dicts or objects with the FIELDS)."""
    root = ElementTree.Element('hosts')
    for host in hosts:
        element = ElementTree.SubElement(root, 'host')
        for field in FIELDS:
            if field in _SECRET:
                continue
            value = (host.get(field) if isinstance(host, dict)
                     else getattr(host, field, None))
            if field == 'location':
                value = (value or {}).get('locn')
            if value is None or value == '':
                continue
            ElementTree.SubElement(element, field).text = str(value)
    ElementTree.indent(root, space='\t')
    return ('<?xml version="1.0" ?>\n' +
            ElementTree.tostring(root, encoding='unicode') + '\n')
