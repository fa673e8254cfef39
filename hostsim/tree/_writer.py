"""Plain files, directories and relative symlinks under one root."""

import os


class Tree:
    def __init__(self, root):
        self.root = root
        self._made = set()

    def _dir(self, rel_dir):
        if rel_dir not in self._made:
            os.makedirs(os.path.join(self.root, rel_dir), exist_ok=True)
            self._made.add(rel_dir)

    def mkdir(self, rel_dir):
        self._dir(rel_dir)

    def write(self, rel_path, value):
        """Write str(value) plus a newline, as sysfs attributes read."""
        self._dir(os.path.dirname(rel_path))
        with open(os.path.join(self.root, rel_path), 'w') as f:
            f.write('%s\n' % (value,) if not isinstance(value, str)
                    or not value.endswith('\n') else value)

    def write_bytes(self, rel_path, data):
        self._dir(os.path.dirname(rel_path))
        with open(os.path.join(self.root, rel_path), 'wb') as f:
            f.write(data)

    def link(self, rel_link, rel_target):
        """A symlink at rel_link to rel_target, relative like sysfs's."""
        link_dir = os.path.dirname(rel_link)
        self._dir(link_dir)
        os.symlink(os.path.relpath(rel_target, link_dir or '.'),
                   os.path.join(self.root, rel_link))


def cpulist(cpus):
    """[0, 1, 2, 5] -> '0-2,5', the kernel's list format."""
    ranges = []
    for cpu in sorted(cpus):
        if ranges and cpu == ranges[-1][1] + 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    return ','.join('%d' % a if a == b else '%d-%d' % (a, b)
                    for a, b in ranges)
