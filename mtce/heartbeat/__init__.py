"""Heartbeat: UDP pulses from mtce-agent, answered by mtce-client.

Works on plain sockets and threads, so it keeps going while RabbitMQ or
the database is down.
"""

from mtce.heartbeat.monitor import DEGRADED
from mtce.heartbeat.monitor import FAILED
from mtce.heartbeat.monitor import HeartbeatConfigError
from mtce.heartbeat.monitor import MINOR
from mtce.heartbeat.monitor import Monitor
from mtce.heartbeat.monitor import OK
from mtce.heartbeat.monitor import STATES
from mtce.heartbeat.packet import BadPacket
from mtce.heartbeat.packet import CLUSTER_HOST
from mtce.heartbeat.packet import MANAGEMENT
from mtce.heartbeat.packet import NETWORK_NAMES
from mtce.heartbeat.responder import Responder
from mtce.heartbeat.responder import ResponderGroup

__all__ = [
    'BadPacket', 'CLUSTER_HOST', 'DEGRADED', 'FAILED', 'HeartbeatConfigError',
    'MANAGEMENT', 'MINOR', 'Monitor', 'NETWORK_NAMES', 'OK', 'Responder',
    'ResponderGroup', 'STATES',
]
