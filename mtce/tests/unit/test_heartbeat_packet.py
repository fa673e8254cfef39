"""The heartbeat wire format: round trip and every way a packet is bad."""

import hashlib
import hmac
import struct

from mtce.heartbeat import packet
from stxcommon.tests import base

KEY = b'install-key-0123456789abcdef'


def _pulse(sequence=7, sender='controller-0', key=KEY, network=0):
    return packet.encode(packet.PULSE, network, sender, sequence, 123456789,
                         key)


class RoundTripTest(base.TestCase):

    def test_pulse_and_reply(self):
        for kind in (packet.PULSE, packet.REPLY):
            data = packet.encode(kind, packet.CLUSTER_HOST, 'compute-12',
                                 2 ** 64 - 1, 42, KEY)
            self.assertEqual(
                packet.Packet(kind, packet.CLUSTER_HOST, 'compute-12',
                              2 ** 64 - 1, 42),
                packet.decode(data, KEY))

    def test_network_by_name(self):
        data = packet.encode(packet.PULSE, 'cluster-host', 'c', 1, 1, KEY)
        self.assertEqual(packet.CLUSTER_HOST, packet.decode(data, KEY).network)

    def test_well_under_512_bytes(self):
        data = packet.encode(packet.REPLY, 0, 'h' * packet.MAX_SENDER, 1, 1,
                             KEY)
        self.assertEqual(packet.MAX_SIZE, len(data))
        self.assertLess(len(data), 256)

    def test_signer_reuses_state_and_agrees_with_functions(self):
        signer = packet.Signer(KEY)
        header = signer.header(packet.PULSE, 0, 'controller-0')
        self.assertIs(header, signer.header(packet.PULSE, 0, 'controller-0'))
        data = header.seal(9, 10)
        self.assertEqual(_pulse(9)[:-72], data[:-72])
        self.assertEqual((9, 10), header.open(data))
        self.assertEqual(9, packet.decode(data, KEY).sequence)

    def test_mac_is_rfc2104_hmac_sha512(self):
        # The MAC is computed from copied hash states, not hmac.HMAC: it
        # must still be exactly HMAC-SHA-512, for short and long keys.
        for key in (KEY, b'k' * 128, b'k' * 200):
            header = packet.Signer(key).header(packet.REPLY, 1, 'worker-7')
            tail = packet.pack_tail(2 ** 40 + 3, 99)
            data = header.seal_tail(tail)
            self.assertEqual(header.data + tail, data[:-64])
            self.assertEqual(
                hmac.digest(key, data[:-64], hashlib.sha512), data[-64:])
            self.assertEqual(data, header.seal(2 ** 40 + 3, 99))

    def test_host_keys_differ(self):
        self.assertNotEqual(packet.host_key(KEY, 'compute-0'),
                            packet.host_key(KEY, 'compute-1'))

    def test_pulse_key_is_no_host_key(self):
        pulse_key = packet.pulse_key(KEY)
        self.assertNotIn(pulse_key, [packet.host_key(KEY, name) for name in
                                     ('compute-0', 'controller-0', '')
                                     if name])
        self.assertNotEqual(pulse_key, packet.pulse_key(KEY + b'x'))

    def test_encode_rejects_bad_fields(self):
        for args in ((3, 0, 'c', 1, 1), (1, 5, 'c', 1, 1),
                     (1, 0, '', 1, 1), (1, 0, 'x' * 65, 1, 1),
                     (1, 0, 'c', -1, 1), (1, 0, 'c', 2 ** 64, 1)):
            self.assertRaises(ValueError, packet.encode, *(args + (KEY,)))

    def test_short_key_refused(self):
        self.assertRaises(ValueError, packet.Signer, b'short')
        self.assertRaises(ValueError, packet.Signer, 'a text key 1234567')


class BadPacketTest(base.TestCase):

    def assertBad(self, reason, data, key=KEY):
        error = self.assertRaises(packet.BadPacket, packet.decode, data, key)
        self.assertEqual(reason, error.reason)
        self.assertIn(reason, packet.REASONS)

    def test_too_long(self):
        self.assertBad('size', _pulse() + b'\0')
        self.assertBad('size', b'\0' * 600)

    def test_truncated(self):
        data = _pulse()
        for length in (0, 1, 7, 8, 20, 30, len(data) - 1):
            self.assertBad('truncated', data[:length])

    def test_magic(self):
        self.assertBad('magic', b'XXXX' + _pulse()[4:])

    def test_version(self):
        data = _pulse()
        self.assertBad('version', data[:4] + b'\x02' + data[5:])

    def test_kind(self):
        data = _pulse()
        self.assertBad('kind', data[:5] + b'\x09' + data[6:])

    def test_network(self):
        data = _pulse()
        self.assertBad('network', data[:6] + b'\x07' + data[7:])

    def test_sender(self):
        data = _pulse()
        self.assertBad('sender', data[:7] + b'\x00' + data[8:])
        self.assertBad('sender', data[:7] + b'\x50' + data[8:])
        bad_utf8 = packet.encode(packet.PULSE, 0, 'ab', 1, 1, KEY)
        self.assertBad('sender', bad_utf8[:8] + b'\xff\xfe' + bad_utf8[10:])

    def test_wrong_key(self):
        self.assertBad('hmac', _pulse(key=b'another-install-key-123456'))

    def test_tampered(self):
        data = bytearray(_pulse(sequence=7))
        struct.pack_into('!Q', data, 8 + len('controller-0'), 8)
        self.assertBad('hmac', bytes(data))
        data = bytearray(_pulse())
        data[-1] ^= 1
        self.assertBad('hmac', bytes(data))

    def test_read_header_does_not_need_the_key(self):
        self.assertEqual((packet.PULSE, 0, 'controller-0'),
                         packet.read_header(_pulse()))
