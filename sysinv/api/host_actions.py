"""Which host actions may start now, checked before the conductor runs one.

Each refusal names the host and the reason (HTTP 400), so an operator
knows what to do first.
"""

from sysinv import constants
from sysinv import exception
from sysinv import host_config

_NEEDS_BMC = (constants.RESET, constants.POWER_ON, constants.POWER_OFF)
_NEEDS_LOCKED = (constants.UNLOCK, constants.REBOOT, constants.RESET,
                 constants.POWER_ON, constants.POWER_OFF)


def _enabled(host):
    return (host.administrative == constants.ADMIN_UNLOCKED and
            host.operational == constants.OPERATIONAL_ENABLED)


def _other_enabled_controllers(host, dbapi):
    return [h for h in dbapi.host_get_list(
        {'personality': constants.CONTROLLER})
        if h.uuid != host.uuid and _enabled(h)]


def check(action, host, dbapi):
    """Raise HostActionRefused unless ``action`` can start on ``host``."""
    def refuse(reason):
        raise exception.HostActionRefused(
            action=action, host=host.hostname or host.uuid, reason=reason)

    if not host.hostname or not host.personality:
        refuse('it has no hostname and personality yet')
    locked = host.administrative == constants.ADMIN_LOCKED
    if action in _NEEDS_LOCKED and not locked:
        refuse('it must be locked first')
    if action in _NEEDS_BMC and host.bm_type in (None, 'none'):
        refuse('it has no board management controller (set bm_type and '
               'bm_ip)')
    if action in (constants.LOCK, constants.FORCE_LOCK):
        if locked:
            refuse('it is already locked')
        if (action == constants.LOCK and
                host.personality == constants.CONTROLLER and
                not _other_enabled_controllers(host, dbapi)):
            refuse('it is the last enabled controller; force-lock it '
                   '(openstack system host lock --force) if you mean to '
                   'take the platform down')
    elif action == constants.UNLOCK:
        if host.availability in (constants.AVAILABILITY_OFFLINE,
                                 constants.AVAILABILITY_POWER_OFF):
            refuse('it is %s; its agent must be reporting'
                   % host.availability)
        _host, cpus, memory = dbapi.host_hardware(host.uuid)
        problems = host_config.unlock_problems(host, cpus, memory)
        if problems:
            refuse('; '.join(problems))
    elif action == constants.POWER_ON:
        if host.availability != constants.AVAILABILITY_POWER_OFF:
            refuse('it is not powered off')
    elif action == constants.POWER_OFF:
        if host.availability == constants.AVAILABILITY_POWER_OFF:
            refuse('it is already powered off')
    elif action == constants.SWACT:
        if host.personality != constants.CONTROLLER:
            refuse('only controllers swact')
        if not _enabled(host):
            refuse('it is not unlocked and enabled')
        if (host.capabilities or {}).get('Personality') != \
                'Controller-Active':
            refuse('it is not the active controller')
        if not _other_enabled_controllers(host, dbapi):
            refuse('no other controller is unlocked and enabled to take '
                   'over')
