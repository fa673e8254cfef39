"""BMC control for mtce: power and sensors over IPMI (pyghmi)."""

from mtce.bmc.client import BmcClient
from mtce.bmc.client import DEFAULT_PORT
from mtce.bmc.client import DEFAULT_TIMEOUT
from mtce.bmc.client import POWER_OFF
from mtce.bmc.client import POWER_ON
from mtce.bmc.client import shared_pool
from mtce.bmc.exceptions import BmcAuthError
from mtce.bmc.exceptions import BmcError
from mtce.bmc.exceptions import BmcUnreachable
from mtce.bmc.pool import WorkerPool

__all__ = ['BmcAuthError', 'BmcClient', 'BmcError', 'BmcUnreachable',
           'DEFAULT_PORT', 'DEFAULT_TIMEOUT', 'POWER_OFF', 'POWER_ON',
           'WorkerPool', 'shared_pool']
