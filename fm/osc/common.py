"""Output helpers shared by the ``openstack fault`` commands."""

from osc_lib import utils

SUPPRESS_COLUMNS = (('suppression_status', 'Suppression Status'),)


def show(item):
    """ShowOne's (columns, values) of an API object, links left out."""
    data = {k: v for k, v in item.items() if k != 'links'}
    return tuple(zip(*sorted(data.items()))) or ((), ())


def table(items, columns, long_columns, parsed_args):
    """Lister's (headers, rows): suppression and --long columns on demand."""
    if parsed_args.include_suppress or parsed_args.long:
        columns += SUPPRESS_COLUMNS
    if parsed_args.long:
        columns += long_columns
    fields = [field for field, _header in columns]
    return ([header for _field, header in columns],
            (utils.get_dict_properties(item, fields) for item in items))
