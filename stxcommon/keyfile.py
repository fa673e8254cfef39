"""Per-install secret keys kept in 0600 files, made on first use."""

import os


def load_or_create(path, make):
    """The key in ``path``; if there is no such file, ``make()`` writes it.

    The file is created exclusively with mode 0600, so two processes
    starting together agree on one key. Raises OSError when it can be
    neither created nor read.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, 'wb') as key_file:
            key_file.write(make())
    with open(path, 'rb') as key_file:
        return key_file.read().strip()
