"""Hand-written /sys + /proc trees, a few files at a time."""

import os

import fixtures

from stxcommon.tests import base


class InventoryTestCase(base.TestCase):
    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path

    def write(self, files):
        """{relative path: content}; bytes are written as they are."""
        for rel_path, content in files.items():
            full = os.path.join(self.root, rel_path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if isinstance(content, bytes):
                with open(full, 'wb') as f:
                    f.write(content)
            else:
                with open(full, 'w') as f:
                    f.write('%s\n' % (content,))

    def link(self, rel_link, rel_target):
        """A relative symlink, as sysfs has them."""
        full = os.path.join(self.root, rel_link)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.symlink(os.path.relpath(rel_target, os.path.dirname(rel_link)),
                   full)

    def cpu(self, cpu_id, socket, core, siblings):
        prefix = 'sys/devices/system/cpu/cpu%d/topology/' % cpu_id
        self.write({prefix + 'physical_package_id': socket,
                    prefix + 'core_id': core,
                    prefix + 'thread_siblings_list': siblings})

    def pci_function(self, address, class_id, vendor_id, device_id,
                     driver=None, numa_node=-1, **extra):
        pci_dir = 'sys/devices/pci0000:00/' + address
        files = {pci_dir + '/class': '0x' + class_id,
                 pci_dir + '/vendor': '0x' + vendor_id,
                 pci_dir + '/device': '0x' + device_id,
                 pci_dir + '/numa_node': numa_node}
        files.update({'%s/%s' % (pci_dir, k): v for k, v in extra.items()})
        self.write(files)
        if driver:
            os.makedirs(os.path.join(self.root, 'sys/bus/pci/drivers',
                                     driver), exist_ok=True)
            self.link(pci_dir + '/driver', 'sys/bus/pci/drivers/' + driver)
        self.link('sys/bus/pci/devices/' + address, pci_dir)
        return pci_dir

    def port(self, name, device_dir, mac, mtu=1500, speed=1000):
        net_dir = '%s/net/%s' % (device_dir, name)
        self.write({net_dir + '/address': mac, net_dir + '/mtu': mtu,
                    net_dir + '/speed': speed})
        if not device_dir.startswith('sys/devices/virtual'):
            self.link(net_dir + '/device', device_dir)
        self.link('sys/class/net/' + name, net_dir)
