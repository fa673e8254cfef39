"""Simulated BMCs speaking IPMI 2.0 (RMCP+, lanplus) over UDP."""

from hostsim.bmc.sensors import DEFAULT_SENSORS
from hostsim.bmc.simulator import POWER_OFF
from hostsim.bmc.simulator import POWER_ON
from hostsim.bmc.simulator import SimulatedBmc

__all__ = ['DEFAULT_SENSORS', 'POWER_OFF', 'POWER_ON', 'SimulatedBmc']
