"""sysinv.client.rest against a canned sysinv-api and the real one.

The canned API (fm's recording server) answers with StarlingX-shaped JSON
scripted by each test and records every request; RealApiTest runs the
client against this project's own inventory API over HTTP.
"""

from urllib import parse

from keystoneauth1 import access
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import fixture as ks_fixture
from keystoneauth1.identity import access as access_plugin
from keystoneauth1 import noauth
from keystoneauth1 import session as ks_session

from stxcommon.tests import base
from stxcommon.tests import fake_api
from sysinv.client import rest
from sysinv.tests.unit import base as sysinv_base

# The recording server and the error shape are fm's: nothing in them is
# particular to the fault API.
FakeAPI = fake_api.FakeAPI
error_body = fake_api.error_body

SYSTEM = {
    'uuid': '5e9ab1f0-2a3b-4c5d-8e9f-0a1b2c3d4e5f',
    'name': 'edge-site-7',
    'system_type': 'All-in-one',
    'system_mode': 'duplex',
    'description': None,
    'location': None,
    'contact': None,
    'software_version': '24.09',
    'capabilities': {},
    'created_at': '2024-05-01T10:00:00+00:00',
    'updated_at': None,
    'links': [{'href': 'http://sysinv:6385/v1/isystems/5e9ab1f0',
               'rel': 'self'}],
    'ihosts': [{'href': 'http://sysinv:6385/v1/isystems/5e9ab1f0/ihosts',
                'rel': 'self'}],
}
HOST_1 = {
    'id': 1,
    'uuid': '3c1d2e4f-5a6b-4c7d-8e9f-001122334455',
    'hostname': 'controller-0',
    'personality': 'controller',
    'subfunctions': 'controller,worker',
    'administrative': 'unlocked',
    'operational': 'enabled',
    'availability': 'available',
    'mgmt_mac': '08:00:27:00:00:01',
    'mgmt_ip': '192.168.204.2',
    'bm_type': None,
    'bm_ip': None,
    'task': None,
    'invprovision': 'provisioned',
    'location': {'locn': 'Rack 1'},
}
HOST_2 = dict(HOST_1, id=2, uuid='9a8b7c6d-5e4f-4a3b-9c2d-1e0f00112233',
              hostname='worker-0', personality='worker',
              subfunctions='worker', administrative='locked',
              operational='disabled', availability='offline',
              mgmt_mac='08:00:27:00:00:02', mgmt_ip=None,
              bm_type='ipmi', bm_ip='10.10.10.12', task='Installing',
              invprovision='unprovisioned', location={})
HOST_1_DETAIL = dict(
    HOST_1, bm_username=None, capabilities={}, action='none', uptime=3600,
    config_status=None, serialid=None, boot_device='sda',
    rootfs_device='sda', install_output='text', console='ttyS0,115200',
    isystem_uuid=SYSTEM['uuid'], created_at='2024-05-01T10:00:00+00:00',
    updated_at=None,
    links=[{'href': 'http://sysinv:6385/v1/ihosts/' + HOST_1['uuid'],
            'rel': 'self'}],
    icpus=[{'href': 'http://sysinv:6385/v1/ihosts/%s/icpus'
            % HOST_1['uuid'], 'rel': 'self'}],
    imemorys=[], idisks=[], ports=[], ethernet_ports=[], pci_devices=[])
_ITEM = {'ihost_uuid': HOST_1['uuid'], 'created_at': None,
         'updated_at': None, 'links': []}
CPU_1 = dict(_ITEM, uuid='c0000000-0000-4000-8000-000000000001', cpu=0,
             numa_node=0, core=0, thread=0, cpu_family='6',
             cpu_model='Intel(R) Xeon(R) Gold 6230',
             allocated_function='Platform', capabilities={})
CPU_2 = dict(CPU_1, uuid='c0000000-0000-4000-8000-000000000002', cpu=1,
             thread=1, allocated_function='Application')
MEMORY_1 = dict(_ITEM, uuid='d0000000-0000-4000-8000-000000000001',
                numa_node=0, memtotal_mib=32768, memavail_mib=30000,
                platform_reserved_mib=8000, hugepages_configured=True,
                vm_hugepages_nr_2M=512, vm_hugepages_nr_1G=0,
                vm_hugepages_avail_2M=512, vm_hugepages_avail_1G=0,
                vm_hugepages_nr_2M_pending=None,
                vm_hugepages_nr_1G_pending=None, capabilities={})
DISK_1 = dict(_ITEM, uuid='e0000000-0000-4000-8000-000000000001',
              device_node='/dev/sda',
              device_path='/dev/disk/by-path/pci-0000:00:1f.2-ata-1',
              device_type='SSD', size_mib=476940, serial_id='SN0000',
              rpm='Undetermined', capabilities={})
PORT_1 = dict(_ITEM, uuid='f0000000-0000-4000-8000-000000000001',
              name='eth0', type='ethernet', mac='08:00:27:00:01:00',
              mtu=1500, speed=10000, driver='ixgbe', pciaddr='0000:05:00.0',
              numa_node=0, sriov_totalvfs=63, sriov_numvfs=0,
              capabilities={})
DEVICE_1 = dict(_ITEM, uuid='a0000000-0000-4000-8000-000000000001',
                name='pci_0000_05_00_0', pciaddr='0000:05:00.0',
                pclass_id='020000', pvendor_id='8086', pdevice_id='10fb',
                pclass='Ethernet controller', pvendor='Intel Corporation',
                pdevice='82599ES', driver='ixgbe', numa_node=0,
                enabled=True, kind='nic')
# kind -> (collection, one item of it)
ITEMS = {'cpu': ('icpus', CPU_1), 'memory': ('imemorys', MEMORY_1),
         'disk': ('idisks', DISK_1), 'port': ('ports', PORT_1),
         'device': ('pci_devices', DEVICE_1)}


class ClientTestCase(fake_api.ClientTestMixin, base.TestCase):
    client_class = rest.Client


class SystemTest(ClientTestCase):

    def test_list_and_show(self):
        self.api.respond('GET', '/v1/isystems', {'isystems': [SYSTEM]})
        self.assertEqual([SYSTEM], self.client.system_list())
        self.assertEqual(SYSTEM, self.client.system_show())
        self.assertRequest('GET', '/v1/isystems')
        path = '/v1/isystems/' + SYSTEM['uuid']
        self.api.respond('GET', path, SYSTEM)
        self.assertEqual(SYSTEM, self.client.system_show(SYSTEM['uuid']))
        self.assertRequest('GET', path)

    def test_show_without_a_system(self):
        self.api.respond('GET', '/v1/isystems', {'isystems': []})
        self.assertRaises(rest.NotFound, self.client.system_show)

    def test_update_sends_a_json_patch(self):
        changed = dict(SYSTEM, name='edge-site-8', contact='noc')
        self.api.respond('PATCH', '/v1/isystems', changed)
        self.assertEqual(changed, self.client.system_update(
            name='edge-site-8', contact='noc'))
        request = self.assertRequest('PATCH', '/v1/isystems')
        self.assertEqual(
            [{'op': 'replace', 'path': '/contact', 'value': 'noc'},
             {'op': 'replace', 'path': '/name', 'value': 'edge-site-8'}],
            request.body)
        path = '/v1/isystems/' + SYSTEM['uuid']
        self.api.respond('PATCH', path, changed)
        self.client.system_update(SYSTEM['uuid'], description='lab')
        self.assertRequest('PATCH', path)

    def test_empty_update_is_refused_before_any_request(self):
        self.assertRaises(ValueError, self.client.system_update)
        self.assertEqual([], self.api.requests)


class HostTest(ClientTestCase):

    def test_list_sends_paging_sorting_and_filter(self):
        self.api.respond('GET', '/v1/ihosts',
                         {'ihosts': [HOST_1, HOST_2], 'next': None})
        hosts = self.client.host_list(
            limit=10, marker=HOST_2['uuid'], sort_key='hostname',
            sort_dir='desc', personality='worker')
        self.assertEqual([HOST_1, HOST_2], hosts)
        request = self.assertRequest('GET', '/v1/ihosts', [
            ('limit', '10'), ('marker', HOST_2['uuid']),
            ('sort_key', 'hostname'), ('sort_dir', 'desc'),
            ('personality', 'worker')])
        self.assertEqual('application/json', request.headers['Accept'])

    def test_list_without_options_sends_no_parameters(self):
        self.api.respond('GET', '/v1/ihosts', {'ihosts': [], 'next': None})
        self.assertEqual([], self.client.host_list())
        self.assertRequest('GET', '/v1/ihosts')

    def test_next_page_is_followed_only_when_asked(self):
        # The next link names the host the server saw; the client keeps
        # its own endpoint and takes only the query.
        first = {'ihosts': [HOST_1],
                 'next': 'http://sysinv-internal.invalid:6385/v1/ihosts?'
                         'personality=controller&limit=1&marker=' +
                         HOST_1['uuid']}
        self.api.respond('GET', '/v1/ihosts', first)
        self.api.respond('GET', '/v1/ihosts', first)
        self.api.respond('GET', '/v1/ihosts',
                         {'ihosts': [HOST_2], 'next': None})
        self.assertEqual([HOST_1], self.client.host_list(limit=1))
        self.assertEqual([HOST_1, HOST_2],
                         self.client.host_list(limit=1, all_pages=True))
        self.assertEqual(3, len(self.api.requests))
        self.assertRequest('GET', '/v1/ihosts', [
            ('personality', 'controller'), ('limit', '1'),
            ('marker', HOST_1['uuid'])])

    def test_a_next_link_that_repeats_ends_the_walk(self):
        self.api.respond('GET', '/v1/ihosts', {
            'ihosts': [HOST_1],
            'next': self.api.url + '/v1/ihosts?limit=1&marker=' +
            HOST_1['uuid']})
        self.assertEqual([HOST_1, HOST_1],
                         self.client.host_list(limit=1, all_pages=True))
        self.assertEqual(2, len(self.api.requests))

    def test_show_by_uuid_or_hostname(self):
        for ident in (HOST_1['uuid'], 'controller-0'):
            self.api.respond('GET', '/v1/ihosts/' + ident, HOST_1_DETAIL)
            self.assertEqual(HOST_1_DETAIL, self.client.host_show(ident))
            self.assertRequest('GET', '/v1/ihosts/' + ident)

    def test_host_is_quoted_into_the_path(self):
        self.assertRaises(rest.NotFound, self.client.host_show, 'a/b?c')
        self.assertEqual('/v1/ihosts/a/b?c', parse.unquote(
            self.api.requests[-1].path))
        self.assertEqual([], self.api.requests[-1].query)
        self.assertRaises(ValueError, self.client.host_show, '')

    def test_add_leaves_out_unset_fields(self):
        self.api.respond('POST', '/v1/ihosts', HOST_1_DETAIL, status=201)
        self.assertEqual(HOST_1_DETAIL, self.client.host_add(
            hostname='controller-0', personality='controller',
            mgmt_mac='08:00:27:00:00:01', bm_type='ipmi',
            bm_ip='10.10.10.12', bm_username='root',
            location={'locn': 'Rack 1'}, mgmt_ip=None))
        request = self.assertRequest('POST', '/v1/ihosts')
        self.assertEqual({'hostname': 'controller-0',
                          'personality': 'controller',
                          'mgmt_mac': '08:00:27:00:00:01',
                          'bm_type': 'ipmi', 'bm_ip': '10.10.10.12',
                          'bm_username': 'root',
                          'location': {'locn': 'Rack 1'}}, request.body)
        self.assertEqual('application/json', request.headers['Content-Type'])

    def test_update_sends_replace_operations(self):
        self.api.respond('PATCH', '/v1/ihosts/worker-0', HOST_2)
        self.assertEqual(HOST_2, self.client.host_update(
            'worker-0', hostname='worker-9', location={'locn': 'Rack 4'}))
        request = self.assertRequest('PATCH', '/v1/ihosts/worker-0')
        self.assertEqual(
            [{'op': 'replace', 'path': '/hostname', 'value': 'worker-9'},
             {'op': 'replace', 'path': '/location',
              'value': {'locn': 'Rack 4'}}], request.body)
        self.assertRaises(ValueError, self.client.host_update, 'worker-0')

    def test_delete(self):
        path = '/v1/ihosts/' + HOST_2['uuid']
        self.api.respond('DELETE', path, status=204)
        self.assertIsNone(self.client.host_delete(HOST_2['uuid']))
        self.assertRequest('DELETE', path)


class ItemTest(ClientTestCase):

    def test_lists_of_a_host_follow_every_page(self):
        for kind, (collection, item) in ITEMS.items():
            path = '/v1/ihosts/controller-0/' + collection
            self.api.respond('GET', path, {
                collection: [item],
                'next': self.api.url + path + '?limit=1&marker=' +
                item['uuid']})
            self.api.respond('GET', path, {collection: [], 'next': None})
            method = getattr(self.client, 'host_%s_list' % kind)
            self.assertEqual([item], method('controller-0'), kind)
            self.assertRequest('GET', path, index=-2)
            self.assertRequest('GET', path, [('limit', '1'),
                                             ('marker', item['uuid'])])

    def test_show_by_uuid(self):
        for kind, (collection, item) in ITEMS.items():
            path = '/v1/%s/%s' % (collection, item['uuid'])
            self.api.respond('GET', path, item)
            method = getattr(self.client, '%s_show' % kind)
            self.assertEqual(item, method(item['uuid']), kind)
            self.assertRequest('GET', path)

    def test_unknown_kind(self):
        self.assertRaises(KeyError, self.client.host_item_list, 'gpu', 'x')


class ErrorTest(ClientTestCase):

    def test_faultstring_becomes_the_message(self):
        self.api.respond('PATCH', '/v1/ihosts/worker-0', error_body(
            'Host worker-0 must be locked to change its hostname; it is '
            'unlocked.'), status=400)
        error = self.assertRaises(rest.HTTPError, self.client.host_update,
                                  'worker-0', hostname='worker-1')
        self.assertEqual((400, 'Host worker-0 must be locked to change its '
                          'hostname; it is unlocked.'),
                         (error.status, error.message))
        self.assertNotIsInstance(error, rest.NotFound)

    def test_not_found(self):
        error = self.assertRaises(rest.NotFound, self.client.cpu_show,
                                  CPU_1['uuid'])
        self.assertEqual((404, 'Resource could not be found.'),
                         (error.status, error.message))

    def test_body_that_is_not_json(self):
        self.api.respond('GET', '/v1/isystems', 'hello', status=200,
                         content_type='text/plain')
        error = self.assertRaises(rest.HTTPError, self.client.system_list)
        self.assertIn('not JSON', error.message)

    def test_timeout(self):
        self.assertEqual(rest.DEFAULT_TIMEOUT, self.client.timeout)
        session = ks_session.Session(auth=noauth.NoAuth(), timeout=7)
        self.assertEqual(7, rest.Client(session).timeout)
        self.api.respond('GET', '/v1/isystems', {'isystems': []}, delay=1.0)
        client = rest.Client(self.session, endpoint_override=self.api.url,
                             timeout=0.2)
        self.assertRaises(ks_exceptions.ConnectTimeout, client.system_list)


class EndpointTest(ClientTestCase):

    def test_endpoint_with_version(self):
        self.api.respond('GET', '/v1/isystems', {'isystems': []})
        for suffix in ('/v1', '/v1/', '/'):
            client = rest.Client(self.session,
                                 endpoint_override=self.api.url + suffix)
            client.system_list()
            self.assertRequest('GET', '/v1/isystems')

    def _catalog_session(self):
        token = ks_fixture.V3Token()
        token.set_project_scope()
        service = token.add_service('platform', name='sysinv')
        service.add_standard_endpoints(public=self.api.url + '/v1',
                                       internal=self.api.url + '/internal',
                                       region='RegionOne')
        auth_ref = access.create(body=token, auth_token='catalog-token')
        return ks_session.Session(
            auth=access_plugin.AccessInfoPlugin(auth_ref))

    def test_endpoint_from_the_catalog(self):
        session = self._catalog_session()
        self.api.respond('GET', '/v1/isystems', {'isystems': []})
        self.api.respond('GET', '/internal/v1/isystems', {'isystems': []})
        for kwargs, path in (({}, '/v1/isystems'),
                             (dict(interface='internal'),
                              '/internal/v1/isystems')):
            rest.Client(session, region_name='RegionOne',
                        **kwargs).system_list()
            request = self.assertRequest('GET', path)
            self.assertEqual('catalog-token',
                             request.headers['X-Auth-Token'])

    def test_service_not_in_the_catalog(self):
        client = rest.Client(self._catalog_session(),
                             service_type='nothing-here')
        self.assertRaises(ks_exceptions.EndpointNotFound, client.system_list)
        self.assertEqual([], self.api.requests)


class RealApiFixture(sysinv_base.SysinvFixture):
    """SysinvFixture's API served over HTTP on a free port of 127.0.0.1."""

    def _setUp(self):
        super()._setUp()
        self.url = self.useFixture(fake_api.ServedApp(self.app.app)).url
        self.client = rest.Client(ks_session.Session(auth=noauth.NoAuth()),
                                  endpoint_override=self.url)


class RealApiTest(base.TestCase):
    """The client against this project's own inventory API (sqlite,
    in-process): the canned tests above pin the wire format, these prove
    the client and the server agree on it."""

    def setUp(self):
        super().setUp()
        self.sysinv = self.useFixture(RealApiFixture())
        self.client = self.sysinv.client

    def test_system(self):
        system = self.client.system_show()
        self.assertEqual([system], self.client.system_list())
        self.assertEqual(system, self.client.system_show(system['uuid']))
        updated = self.client.system_update(description='lab',
                                            contact='noc')
        self.assertEqual(('lab', 'noc'),
                         (updated['description'], updated['contact']))
        error = self.assertRaises(rest.HTTPError, self.client.system_update,
                                  software_version='99')
        self.assertEqual(400, error.status)
        self.assertIn('cannot be changed', error.message)

    def test_hosts(self):
        for i in range(3):
            self.client.host_add(hostname='worker-%d' % i,
                                 personality='worker',
                                 mgmt_mac='08:00:27:00:00:1%d' % i)
        added = self.client.host_add(
            hostname='controller-0', personality='controller',
            mgmt_mac='08-00-27-00-00-01', bm_type='ipmi',
            bm_ip='10.10.10.2', bm_username='root',
            location={'locn': 'Rack 1'}, mgmt_ip=None)
        self.assertEqual(('locked', '08:00:27:00:00:01', {'locn': 'Rack 1'}),
                         (added['administrative'], added['mgmt_mac'],
                          added['location']))
        hosts = self.client.host_list(limit=1, all_pages=True,
                                      sort_key='hostname', sort_dir='desc')
        self.assertEqual(['worker-2', 'worker-1', 'worker-0',
                          'controller-0'], [h['hostname'] for h in hosts])
        self.assertEqual(['controller-0'], [
            h['hostname'] for h in self.client.host_list(
                personality='controller')])
        self.assertEqual(1, len(self.client.host_list(limit=1)))

        self.assertEqual(added, self.client.host_show('controller-0'))
        self.assertEqual(added, self.client.host_show(added['uuid']))
        updated = self.client.host_update(
            'controller-0', hostname='controller-1',
            location={'locn': 'Rack 2'}, bm_ip=None)
        self.assertEqual(('controller-1', {'locn': 'Rack 2'}, None),
                         (updated['hostname'], updated['location'],
                          updated['bm_ip']))
        error = self.assertRaises(rest.HTTPError, self.client.host_update,
                                  'controller-1', mgmt_mac='x')
        self.assertEqual(400, error.status)
        self.assertIn('cannot be changed', error.message)

        self.client.host_delete('controller-1')
        error = self.assertRaises(rest.NotFound, self.client.host_show,
                                  added['uuid'])
        self.assertTrue(error.message)
        error = self.assertRaises(rest.HTTPError, self.client.host_add,
                                  hostname='worker-0', personality='worker',
                                  mgmt_mac='08:00:27:00:00:99')
        self.assertEqual(409, error.status)

    def test_host_items(self):
        host = self.client.host_add(hostname='worker-0',
                                    personality='worker',
                                    mgmt_mac='08:00:27:00:00:01')
        self.sysinv.connection.apply_inventory(
            host['uuid'], sysinv_base.report(cpus=4, numa_nodes=2))
        counts = {'cpu': 4, 'memory': 2, 'disk': 2, 'port': 2, 'device': 2}
        for kind, count in counts.items():
            items = getattr(self.client, 'host_%s_list' % kind)('worker-0')
            self.assertEqual(count, len(items), kind)
            self.assertEqual(items, self.client.host_item_list(
                kind, host['uuid']))
            shown = getattr(self.client, '%s_show' % kind)(items[0]['uuid'])
            self.assertEqual(items[0], shown)
        self.assertRaises(rest.NotFound, self.client.host_cpu_list,
                          'nobody')
        self.assertRaises(rest.NotFound, self.client.disk_show,
                          sysinv_base.MISSING)
