"""kombu's in-memory transport without oslo.messaging's busy wait.

oslo.messaging sets ``polling_interval`` to 0 on every ``memory://``
connection ("to speed up tests"), so each idle listener spins: a stx-aio
with four simulated hosts burned a whole core doing nothing. This
subclass keeps a short floor on the interval; the broker state is the
same global one, so plain ``memory://`` users still share its queues.
"""

from kombu import transport as kombu_transport
from kombu.transport import memory

# Seconds an idle listener sleeps between polls: at most this much latency
# per message, some hundred wake-ups a second for a whole all-in-one.
MIN_POLLING_INTERVAL = 0.01


class Transport(memory.Transport):

    @property
    def polling_interval(self):
        return max(self._polling_interval, MIN_POLLING_INTERVAL)

    @polling_interval.setter
    def polling_interval(self, value):
        self._polling_interval = value or 0.0

    _polling_interval = MIN_POLLING_INTERVAL


def install():
    """Make ``memory://`` (``kombu+memory:////``) resolve to this class."""
    kombu_transport.TRANSPORT_ALIASES['memory'] = (
        'stxcommon._memory_transport:Transport')
    kombu_transport._transport_cache.pop('memory', None)
