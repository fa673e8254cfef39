"""Output helpers shared by the ``openstack system`` commands."""

from osc_lib import exceptions

from stxcommon import osc

# Lists of links to a host's or a system's sub-collections: the commands
# reach them by name (``host cpu list``), so ``show`` leaves them out.
_LINK_FIELDS = ('ihosts', 'icpus', 'imemorys', 'idisks', 'ports',
                'ethernet_ports', 'iinterfaces', 'pci_devices', 'isensors',
                'isensorgroups')


def show(item):
    """ShowOne's (columns, values): every field, sorted, links left out."""
    return osc.show(item, hidden=('links',) + _LINK_FIELDS)


def table(items, columns):
    """Lister's (headers, rows) of ``columns``, (field, header) pairs."""
    # Not osc_lib's get_dict_properties: it lower-cases field names, and
    # StarlingX's memory fields are spelled vm_hugepages_nr_2M.
    fields = [field for field, _header in columns]
    return ([header for _field, header in columns],
            (tuple(item.get(field) for field in fields) for item in items))


def find_item(system, kind, host, wanted, keys, noun):
    """The item of ``kind`` of ``host`` whose UUID, or one of ``keys``,
    is ``wanted`` (as StarlingX's CLI names them); CommandError if none."""
    for item in system.host_item_list(kind, host):
        if wanted == item.get('uuid') or any(
                str(item.get(key)) == wanted for key in keys):
            return item
    raise exceptions.CommandError('host %s has no %s %s'
                                  % (host, noun, wanted))

