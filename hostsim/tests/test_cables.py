"""Pulled heartbeat cables: the file hostsim --unplug writes and the
running fleet reads."""

import fixtures

from hostsim import cables
from stxcommon.tests import base


class _Client:
    def __init__(self):
        self.calls = []

    def unplug(self, networks):
        self.calls.append(set(networks))


class CablesTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.state_dir = self.useFixture(fixtures.TempDir()).path

    def test_parse(self):
        self.assertEqual(('worker-0', 'cluster-host'),
                         cables.parse('worker-0:cluster-host'))
        for bad in ('worker-0', ':management', 'worker-0:storage', ''):
            self.assertRaises(ValueError, cables.parse, bad)

    def test_unplug_plug_and_the_watcher(self):
        clients = {'worker-0': _Client(), 'worker-1': _Client()}
        watcher = cables.Watcher(self.state_dir, clients)
        self.assertEqual({}, watcher.poll())     # no file: all plugged
        cut = cables.change(self.state_dir,
                            unplug=[('worker-0', 'cluster-host'),
                                    ('worker-0', 'management')])
        self.assertEqual({'worker-0': ['cluster-host', 'management']}, cut)
        self.assertEqual({'worker-0': {'cluster-host', 'management'}},
                         watcher.poll())
        self.assertEqual({}, watcher.poll())     # unchanged: nothing to do
        cables.change(self.state_dir, plug=[('worker-0', 'management'),
                                            ('worker-1', 'management')])
        self.assertEqual({'worker-0': {'cluster-host'}}, watcher.poll())
        self.assertEqual([{'cluster-host', 'management'}, {'cluster-host'}],
                         clients['worker-0'].calls)
        self.assertEqual([], clients['worker-1'].calls)
        cables.change(self.state_dir, plug=[('worker-0', 'cluster-host')])
        self.assertEqual({}, cables.load(self.state_dir))
        self.assertEqual({'worker-0': set()}, watcher.poll())
