"""IPMI 2.0 (RMCP+) endpoint of a simulated BMC, built on pyghmi's server.

pyghmi's BMC server classes (pyghmi.ipmi.bmc.Bmc and
pyghmi.ipmi.private.serversession) provide RMCP+ session setup (RAKP,
cipher suite 3: HMAC-SHA1 / HMAC-SHA1-96 / AES-CBC-128), chassis power,
boot options and device ID.  The subclasses here add what a simulator
needs and fix the traps of the shipped classes:

* an open-session request that does not propose cipher suite 3's
  algorithms is answered with RMCP+ status 11h ("no cipher suite match")
  instead of silently answering suite 3; pyghmi's own client proposes
  SHA-256 (suite 17) first and retries with SHA-1 only on an error status;
* an unknown user name gets RAKP 2 status 0Dh instead of no answer;
* a closed session is forgotten, so a client that reuses its UDP port can
  log in again;
* port 0 (pick a free port) works: the session table is keyed by the
  bound port, not the requested one;
* SDR repository (netfn 0Ah) and sensor (netfn 04h) commands are served;
* chassis and boot-option commands report the simulator's state,
  including the persistent and EFI boot flags.

All pyghmi IPMI endpoints of a process share pyghmi's I/O thread and its
session tables; this module only adds and removes its own entries.
"""

import collections
import logging
import socket
import struct
import threading

import pyghmi.ipmi.bmc as pyghmi_bmc
import pyghmi.ipmi.command as ipmicommand
import pyghmi.ipmi.private.serversession as serversession
import pyghmi.ipmi.private.session as ipmisession

LOG = logging.getLogger(__name__)

# RMCP+ payload types and status codes (IPMI 2.0 tables 13-16, 13-15).
PAYLOAD_RMCPPLUS_OPEN_REQUEST = 0x10
RMCP_NO_CIPHER_SUITE_MATCH = 0x11
RMCP_UNAUTHORIZED_NAME = 0x0d
RAKP2 = 0x13

# Algorithms of cipher suite 3, the only suite pyghmi's server speaks.
AUTH_RAKP_HMAC_SHA1 = 0x01
INTEGRITY_HMAC_SHA1_96 = 0x01
CONFIDENTIALITY_AES_CBC_128 = 0x01
_SUITE3 = (AUTH_RAKP_HMAC_SHA1, INTEGRITY_HMAC_SHA1_96,
           CONFIDENTIALITY_AES_CBC_128)

# Completion codes.
CC_OK = 0x00
CC_INVALID_COMMAND = 0xc1
CC_INVALID_RESERVATION = 0xc5
CC_REQUEST_LENGTH_INVALID = 0xc7
CC_PARAMETER_OUT_OF_RANGE = 0xc9
CC_NOT_PRESENT = 0xcb
CC_INVALID_DATA_FIELD = 0xcc
CC_NOT_SUPPORTED_IN_PRESENT_STATE = 0xd5
CC_UNSPECIFIED = 0xff

NETFN_CHASSIS = 0x00
NETFN_SENSOR = 0x04
NETFN_APP = 0x06
NETFN_STORAGE = 0x0a

_io_lock = threading.Lock()


def proposed_algorithms(request):
    """(auth, integrity, confidentiality) of an RMCP+ open session request.

    The request (IPMI 2.0 table 13-16) carries three 8-byte algorithm
    payloads from offset 8.  A payload of length 0 or a missing one means
    "any" and is reported as None.
    """
    request = bytearray(request)
    result = []
    for index in range(3):
        record = request[8 + 8 * index:16 + 8 * index]
        if len(record) < 8 or record[3] == 0:
            result.append(None)
        else:
            result.append(record[4] & 0x3f)
    return tuple(result)


def ensure_io_anchor():
    """Make sure pyghmi's shared I/O socket list starts with a client socket.

    pyghmi wakes its I/O thread by sending a byte from and to
    ``iosockets[0]`` at its own loopback address (``::1`` when the kernel
    has IPv6).  If the first socket in the process were an IPv4 BMC
    socket, that wake-up would fail with an address-family error in every
    client call, and stopping that BMC would remove the wake-up socket.
    Creating pyghmi's ordinary (dual-stack) client socket first avoids
    both; it is then shared by the pyghmi clients of the process.
    """
    with _io_lock:
        if not ipmisession.iosockets:
            ipmisession.Session._assignsocket()


def _sync_io_thread():
    """Return after pyghmi's I/O thread finished a pass over its sockets.

    A pyghmi I/O wait is only ever satisfied by the I/O thread after it
    has read its sockets (or when the short deadline passed, which it
    also checks only between passes), so once this returns the thread has
    seen the current socket list.
    """
    if threading.current_thread() is not ipmisession.iothread:
        ipmisession._io_wait(0.05)


class _ServerSocket(socket.socket):
    """A UDP socket that stays non-blocking.

    pyghmi's send helper switches a socket to blocking mode and its I/O
    thread switches it back before reading, from different threads.  When
    a send lands between the I/O thread's switch and its read, the read
    blocks, and pyghmi's single I/O thread stops serving every socket of
    the process until another packet reaches that one socket.  A client
    talking to a real BMC gets that packet soon; a simulated BMC in the
    same process cannot answer while the I/O thread is stuck, so the
    process deadlocks.  The server socket therefore ignores requests to
    block.
    """

    def __init__(self, *args, **kwargs):
        super(_ServerSocket, self).__init__(*args, **kwargs)
        super(_ServerSocket, self).setblocking(False)
        try:
            self.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        except OSError:
            pass

    def setblocking(self, flag):
        super(_ServerSocket, self).setblocking(False)

    def settimeout(self, value):
        super(_ServerSocket, self).setblocking(False)


class SimServerSession(serversession.ServerSession):
    """One client's RMCP+ session with a simulated BMC."""

    def create_open_session_response(self, request):
        request = bytearray(request)
        self.clientsessionid = request[4:8]
        # a new login on a reused session object starts numbering afresh
        self.remseqnumber = None
        proposal = proposed_algorithms(request)
        for offered, supported in zip(proposal, _SUITE3):
            if offered is not None and offered != supported:
                LOG.debug('BMC %s: refusing RMCP+ proposal %s, only cipher '
                          'suite 3 is supported', self.bmc.port, proposal)
                return (bytearray([request[0], RMCP_NO_CIPHER_SUITE_MATCH,
                                   0, 0]) + self.clientsessionid)
        return super(SimServerSession, self).create_open_session_response(
            request)

    def _got_rakp1(self, data):
        data = bytearray(data)
        username = bytes(data[28:])
        known = False
        if data[27:28] and data[27] and username:
            try:
                known = self.authdata.get(username.decode('utf-8')) \
                    is not None
            except UnicodeDecodeError:
                known = False
        if not known:
            payload = (bytearray([data[0], RMCP_UNAUTHORIZED_NAME, 0, 0])
                       + bytearray(self.clientsessionid))
            self.send_payload(payload, RAKP2, retry=False)
            return
        return super(SimServerSession, self)._got_rakp1(data)

    def process_pktqueue(self):
        if self.bmc.closed:
            self.pktqueue.clear()
            return
        return super(SimServerSession, self).process_pktqueue()

    def send_payload(self, *args, **kwargs):
        if self.bmc.closed:
            return
        return super(SimServerSession, self).send_payload(*args, **kwargs)

    def close_server_session(self):
        handlers = ipmisession.Session.bmc_handlers.get(self.sockaddr)
        if handlers is not None and handlers.get(self.bmc.port) is self:
            handlers.pop(self.bmc.port, None)


class IpmiEndpoint(pyghmi_bmc.Bmc):
    """UDP IPMI endpoint; all hardware state lives in ``sim``.

    ``sim`` is a :class:`hostsim.bmc.SimulatedBmc`.
    """

    def __init__(self, sim, authdata, address, port, bmcuuid):
        # IpmiServer.__init__ is replaced, not called: its socket would be
        # shared with pyghmi's blocking-mode toggling (see _ServerSocket)
        # and with port 0 it would key sessions by port 0.
        ensure_io_anchor()
        self.sim = sim
        self.closed = False
        self.deviceid = sim.device_id
        self.revision = sim.device_revision
        self.firmwaremajor, self.firmwareminor = sim.firmware_version
        self.ipmiversion = 0x02
        # chassis device, SDR repository device, sensor device
        self.additionaldevices = 0x83
        self.mfgid = sim.manufacturer_id
        self.prodid = sim.product_id
        self.pktqueue = collections.deque([])
        self.uuid = bmcuuid
        self.authdata = authdata
        # Get Channel Authentication Capabilities answer as pyghmi's:
        # channel 1, IPMI 2.0 (RMCP+) only, non-null user names
        self.authcap = struct.pack('BBBBBBBBB', 0, 1, 0b10000000,
                                   0b00000100, 0b00000010, 0, 0, 0, 0)
        self.kg = None
        self.timeout = 60
        family, _, _, _, sockaddr = socket.getaddrinfo(
            address, port, 0, socket.SOCK_DGRAM)[0]
        sock = _ServerSocket(family, socket.SOCK_DGRAM)
        try:
            sock.bind(sockaddr)
        except OSError:
            sock.close()
            raise
        self.serversocket = sock
        self.port = sock.getsockname()[1]
        ipmisession.Session.bmc_handlers[sock] = {0: self}
        with _io_lock:
            ipmisession.iosockets.append(sock)
        # let pyghmi's I/O thread pick the new socket up now rather than
        # after its current select() (up to 300 s when idle)
        _sync_io_thread()

    # -- session set-up --------------------------------------------------

    def sessionless_data(self, data, sockaddr):
        if self.closed:
            return
        raw = bytearray(data)
        if (len(raw) >= 22 and raw[0] == 6 and raw[2:4] == b'\xff\x07'
                and raw[4] == 6
                and raw[5] & 0x3f == PAYLOAD_RMCPPLUS_OPEN_REQUEST):
            SimServerSession(self.authdata, self.kg, sockaddr,
                             self.serversocket, raw[16:], self.uuid,
                             bmc=self)
            return
        return super(IpmiEndpoint, self).sessionless_data(data, sockaddr)

    def close(self):
        """Forget every session of this endpoint and close its socket."""
        self.closed = True
        handlers = ipmisession.Session.bmc_handlers
        sock = self.serversocket
        for key in list(handlers):
            if key is sock:
                handlers.pop(key, None)
                continue
            entry = handlers.get(key)
            if not isinstance(entry, dict):
                continue
            session = entry.get(self.port)
            if (isinstance(session, SimServerSession)
                    and session.bmc is self):
                entry.pop(self.port, None)
        with _io_lock:
            try:
                ipmisession.iosockets.remove(sock)
            except ValueError:
                pass
        # pyghmi's I/O thread may be reading this socket right now
        _sync_io_thread()
        sock.close()

    def process_pktqueue(self):
        if self.closed:
            self.pktqueue.clear()
            return
        return super(IpmiEndpoint, self).process_pktqueue()

    def send_device_id(self, session):
        # pyghmi's version sends 4-byte manufacturer and product IDs; the
        # spec (table 20-2) has 3 and 2 bytes, so clients misread them.
        firmware_minor = int('%02d' % self.firmwareminor, 16)  # BCD
        data = [self.deviceid, self.revision, self.firmwaremajor & 0x7f,
                firmware_minor, self.ipmiversion, self.additionaldevices]
        data += list(self.mfgid.to_bytes(3, 'little'))
        data += list(self.prodid.to_bytes(2, 'little'))
        data += [0, 0, 0, 0]  # auxiliary firmware revision
        session.send_ipmi_response(data=data)

    # -- hardware operations used by pyghmi's Bmc --------------------------

    def get_power_state(self):
        return self.sim.get_power_state()

    def power_on(self):
        return self.sim._ipmi_power('on')

    def power_off(self):
        return self.sim._ipmi_power('off')

    def power_cycle(self):
        return self.sim._ipmi_power('cycle')

    def power_reset(self):
        return self.sim._ipmi_power('reset')

    def power_shutdown(self):
        return self.sim._ipmi_power('shutdown')

    def pulse_diag(self):
        return self.sim._ipmi_power('diag')

    def cold_reset(self):
        return CC_OK

    def get_system_guid(self):
        return self.sim.guid

    def is_active(self):
        return self.sim.get_power_state() == 'on'

    # -- request dispatch ------------------------------------------------

    def handle_raw_request(self, request, session):
        try:
            netfn = request['netfn']
            command = request['command']
            data = bytearray(request['data'])
            handler = self._handlers.get((netfn, command))
            if handler is None:
                return super(IpmiEndpoint, self).handle_raw_request(
                    request, session)
            code, rsp = handler(self, data)
            session.send_ipmi_response(data=rsp, code=code)
        except Exception:
            LOG.exception('BMC %s: failed to handle %r',
                          self.sim.host_name, request)
            session.send_ipmi_response(code=CC_UNSPECIFIED)

    def _chassis_status(self, data):
        powered = 1 if self.sim.get_power_state() == 'on' else 0
        # power policy "stays off" (00b), no faults, no last event
        return CC_OK, [powered, 0, 0]

    def _set_boot_options(self, data):
        if not data:
            return CC_REQUEST_LENGTH_INVALID, []
        param = data[0] & 0x7f
        if param in (0, 3, 4):
            # set-in-progress, service partition scan, boot info ack:
            # accepted and ignored, like real BMCs commonly do
            return CC_OK, []
        if param != 5:
            return CC_PARAMETER_OUT_OF_RANGE, []
        if len(data) < 3:
            return CC_REQUEST_LENGTH_INVALID, []
        flags, selector = data[1], data[2]
        if not flags & 0x80:
            self.sim.set_boot_device('default')
            return CC_OK, []
        device = ipmicommand.boot_devices.get((selector >> 2) & 0x0f)
        if device is None and (selector >> 2) & 0x0f == 0:
            device = 'default'
        if device is None:
            return CC_INVALID_DATA_FIELD, []
        self.sim.set_boot_device(device, persistent=bool(flags & 0x40),
                                 uefi=bool(flags & 0x20))
        return CC_OK, []

    def _get_boot_options(self, data):
        if not data:
            return CC_REQUEST_LENGTH_INVALID, []
        param = data[0] & 0x7f
        if param != 5:
            return CC_PARAMETER_OUT_OF_RANGE, []
        boot = self.sim.get_boot_device()
        if boot['bootdev'] == 'default':
            flags, selector = 0, 0
        else:
            flags = 0x80
            if boot['persistent']:
                flags |= 0x40
            if boot['uefimode']:
                flags |= 0x20
            selector = ipmicommand.boot_devices[boot['bootdev']]
        return CC_OK, [0x01, 0x05, flags, selector, 0, 0, 0]

    def _sdr_repository_info(self, data):
        return CC_OK, self.sim._sdr_repository_info()

    def _reserve_sdr(self, data):
        return CC_OK, self.sim._reserve_sdr()

    def _get_sdr(self, data):
        if len(data) < 6:
            return CC_REQUEST_LENGTH_INVALID, []
        reservation = data[0] | (data[1] << 8)
        record_id = data[2] | (data[3] << 8)
        return self.sim._get_sdr(reservation, record_id, data[4], data[5])

    def _sensor_command(self, data, what):
        if len(data) < 1:
            return CC_REQUEST_LENGTH_INVALID, []
        return self.sim._sensor_query(data[0], what)

    _handlers = {
        (NETFN_CHASSIS, 0x01): _chassis_status,
        (NETFN_CHASSIS, 0x08): _set_boot_options,
        (NETFN_CHASSIS, 0x09): _get_boot_options,
        (NETFN_STORAGE, 0x20): _sdr_repository_info,
        (NETFN_STORAGE, 0x22): _reserve_sdr,
        (NETFN_STORAGE, 0x23): _get_sdr,
        (NETFN_SENSOR, 0x2d):
            lambda self, data: self._sensor_command(data, 'reading'),
        (NETFN_SENSOR, 0x27):
            lambda self, data: self._sensor_command(data, 'thresholds'),
        (NETFN_SENSOR, 0x25):
            lambda self, data: self._sensor_command(data, 'hysteresis'),
        (NETFN_SENSOR, 0x29):
            lambda self, data: self._sensor_command(data, 'event_enable'),
        (NETFN_SENSOR, 0x2f):
            lambda self, data: self._sensor_command(data, 'type'),
    }


class _Pump(object):
    """One daemon thread per process driving pyghmi's session event loop.

    pyghmi's I/O thread only queues received packets; someone has to call
    ``Session.wait_for_rsp`` to process them.  pyghmi clients do so while
    they wait, but a BMC must answer even when no client of this process
    is waiting, so one shared thread runs while any SimulatedBmc serves.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._users = 0
        self._thread = None
        self._stop = None

    def acquire(self):
        with self._lock:
            self._users += 1
            if self._thread is None:
                self._stop = threading.Event()
                self._thread = threading.Thread(
                    target=self._run, args=(self._stop,),
                    name='hostsim-bmc-ipmi', daemon=True)
                self._thread.start()

    def release(self, timeout=5.0):
        thread = None
        with self._lock:
            self._users -= 1
            if self._users <= 0 and self._thread is not None:
                self._users = 0
                self._stop.set()
                thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    # pyghmi wakes a waiter for a packet only if the waiter registered
    # before the packet was read; one read just before sleeps until the
    # wait ends.  Short waits bound that delay of an answer.
    WAIT_SLICE = 0.02

    @classmethod
    def _run(cls, stop):
        while not stop.is_set():
            try:
                ipmisession.Session.wait_for_rsp(timeout=cls.WAIT_SLICE)
            except Exception:
                LOG.exception('IPMI event loop iteration failed')
                stop.wait(0.2)


PUMP = _Pump()
