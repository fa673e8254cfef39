"""sysinv.bulk_xml: StarlingX's hosts XML file, read and written."""

from stxcommon.tests import base
from sysinv import bulk_xml

GOOD = b'''<?xml version="1.0" encoding="UTF-8"?>
<hosts>
  <!-- Racks 1 and 2 -->
  <host>
    <hostname>controller-0</hostname>
    <personality>controller</personality>
    <subfunctions>controller,worker</subfunctions>
    <mgmt_mac>08:00:27:00:00:01</mgmt_mac>
    <mgmt_ip>192.168.204.3</mgmt_ip>
    <location>Rack 1</location>
    <bm_type>ipmi</bm_type>
    <bm_ip>10.10.10.3</bm_ip>
    <bm_username>root</bm_username>
    <bm_password>s3cret</bm_password>
    <power_on/>
    <boot_device>sdb</boot_device>
    <rootfs_device>sdb</rootfs_device>
    <install_output>graphical</install_output>
    <console>ttyS1,9600</console>
  </host>
  <host>
    <hostname> worker-0 </hostname>
    <personality>worker</personality>
    <mgmt_mac>08:00:27:00:00:02</mgmt_mac>
    <location/>
    <bm_type/>
    <bm_password></bm_password>
  </host>
</hosts>
'''


class ParseTest(base.TestCase):

    def test_fields_of_each_host(self):
        controller, worker = bulk_xml.parse(GOOD)
        self.assertEqual({
            'hostname': 'controller-0', 'personality': 'controller',
            'subfunctions': 'controller,worker',
            'mgmt_mac': '08:00:27:00:00:01', 'mgmt_ip': '192.168.204.3',
            'location': {'locn': 'Rack 1'}, 'bm_type': 'ipmi',
            'bm_ip': '10.10.10.3', 'bm_username': 'root',
            'bm_password': 's3cret', 'boot_device': 'sdb',
            'rootfs_device': 'sdb', 'install_output': 'graphical',
            'console': 'ttyS1,9600'}, controller)
        # Text is stripped; empty elements count as not given.
        self.assertEqual({'hostname': 'worker-0', 'personality': 'worker',
                          'mgmt_mac': '08:00:27:00:00:02'}, worker)

    def test_text_and_empty_file_of_hosts(self):
        self.assertEqual([{'hostname': 'w-1'}], bulk_xml.parse(
            '<hosts><host><hostname>w-1</hostname></host></hosts>'))
        self.assertEqual([], bulk_xml.parse(b'<hosts/>'))

    def test_bad_documents(self):
        cases = {
            b'': 'empty',
            b'  \n': 'empty',
            b'<hosts><host>': 'not well-formed',
            b'<hosts></host>': 'not well-formed',
            b'\xff\xfe<hosts/>': 'not well-formed',
            b'<hosts/><hosts/>': 'not well-formed',
            b'<inventory/>': 'root element must be <hosts>',
            b'<hosts><server/></hosts>': 'only <host>',
            b'<hosts><host><color>red</color></host></hosts>':
                'host 1: unknown element <color>',
            b'<hosts><host><hostname>w-1</hostname><bm_pasword>x'
            b'</bm_pasword></host></hosts>':
                'host 1 (w-1): unknown element <bm_pasword>',
            b'<hosts><host><hostname>a</hostname><hostname>b</hostname>'
            b'</host></hosts>': '<hostname> is given twice',
            b'<hosts><host><location><rack>1</rack></location></host>'
            b'</hosts>': '<location> may hold only text',
        }
        for document, expected in cases.items():
            error = self.assertRaises(bulk_xml.InvalidHostsFile,
                                      bulk_xml.parse, document)
            self.assertIn(expected, str(error), document)
            self.assertEqual(400, error.code)

    def test_entities_and_dtds_are_refused(self):
        bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE hosts [\n'
                b'<!ENTITY a "aaaaaaaaaa">\n'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
                b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
                b'<hosts><host><hostname>&c;</hostname></host></hosts>')
        external = (b'<?xml version="1.0"?>\n<!DOCTYPE hosts [\n'
                    b'<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
                    b'<hosts><host><hostname>&secret;</hostname></host>'
                    b'</hosts>')
        dtd_only = (b'<!DOCTYPE hosts SYSTEM "http://example.com/h.dtd">'
                    b'<hosts/>')
        for document in (bomb, external, dtd_only):
            error = self.assertRaises(bulk_xml.InvalidHostsFile,
                                      bulk_xml.parse, document)
            self.assertIn('DTD', str(error))
            self.assertNotIn('root:', str(error))


class RenderTest(base.TestCase):

    def test_round_trip_without_the_password(self):
        hosts = bulk_xml.parse(GOOD)
        document = bulk_xml.render(hosts)
        self.assertTrue(document.startswith('<?xml version="1.0" ?>\n'
                                            '<hosts>\n\t<host>\n'))
        self.assertNotIn('bm_password', document)
        self.assertNotIn('s3cret', document)
        for host in hosts:
            host.pop('bm_password', None)
        self.assertEqual(hosts, bulk_xml.parse(document))

    def test_objects_empty_values_and_escaping(self):
        class Host:
            hostname = 'worker-1'
            personality = 'worker'
            mgmt_mac = '08:00:27:00:00:03'
            location = {'locn': 'Rack <7> & "B"'}
            bm_type = None
            console = ''
        document = bulk_xml.render([Host()])
        self.assertNotIn('bm_type', document)
        self.assertNotIn('console', document)
        self.assertEqual([{'hostname': 'worker-1', 'personality': 'worker',
                           'mgmt_mac': '08:00:27:00:00:03',
                           'location': {'locn': 'Rack <7> & "B"'}}],
                         bulk_xml.parse(document))
        self.assertEqual('<?xml version="1.0" ?>\n<hosts />\n',
                         bulk_xml.render([]))
