"""Output helpers shared by the ``openstack fault`` commands."""

from osc_lib import utils

from stxcommon import osc

SUPPRESS_COLUMNS = (('suppression_status', 'Suppression Status'),)


show = osc.show


def table(items, columns, long_columns, parsed_args):
    """Lister's (headers, rows): suppression and --long columns on demand."""
    if parsed_args.include_suppress or parsed_args.long:
        columns += SUPPRESS_COLUMNS
    if parsed_args.long:
        columns += long_columns
    fields = [field for field, _header in columns]
    return ([header for _field, header in columns],
            (utils.get_dict_properties(item, fields) for item in items))
