"""Output helpers every ``openstack`` plugin of the suite uses."""


def show(item, hidden=('links',)):
    """ShowOne's (columns, values): every field sorted, ``hidden`` left out.
    """
    data = {k: v for k, v in item.items() if k not in hidden}
    return tuple(zip(*sorted(data.items()))) or ((), ())
