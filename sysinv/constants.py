"""States and enumerations of the inventory service (StarlingX values)."""

# Role of a host.
CONTROLLER = 'controller'
WORKER = 'worker'
STORAGE = 'storage'
PERSONALITIES = (CONTROLLER, WORKER, STORAGE)

# Administrative state: set by the operator (lock / unlock).
ADMIN_LOCKED = 'locked'
ADMIN_UNLOCKED = 'unlocked'
ADMINISTRATIVE_STATES = (ADMIN_LOCKED, ADMIN_UNLOCKED)

# Operational state: set by maintenance.
OPERATIONAL_DISABLED = 'disabled'
OPERATIONAL_ENABLED = 'enabled'
OPERATIONAL_STATES = (OPERATIONAL_DISABLED, OPERATIONAL_ENABLED)

# Availability: set by maintenance from heartbeat and tests.
AVAILABILITY_OFFLINE = 'offline'
AVAILABILITY_ONLINE = 'online'
AVAILABILITY_STATES = (AVAILABILITY_OFFLINE, AVAILABILITY_ONLINE,
                       'available', 'degraded', 'failed', 'intest',
                       'power-off', 'offduty', 'dependency')

# How far the inventory of a host has come.
UNPROVISIONED = 'unprovisioned'
PROVISIONING = 'provisioning'
PROVISIONED = 'provisioned'
INVPROVISION_STATES = (UNPROVISIONED, PROVISIONING, PROVISIONED)

# Board management controller types; 'none' means no BMC.
BM_TYPES = ('none', 'bmc', 'ipmi', 'redfish', 'dynamic')

INSTALL_OUTPUTS = ('text', 'graphical')

DISK_TYPES = ('HDD', 'SSD', 'NVME')

# What a logical CPU is assigned to; new CPUs start as Application.
CPU_FUNCTIONS = ('Platform', 'Application', 'Shared',
                 'Application-isolated')
CPU_FUNCTION_DEFAULT = 'Application'

PORT_TYPE_ETHERNET = 'ethernet'

SYSTEM_TYPES = ('All-in-one', 'Standard')
SYSTEM_MODES = ('simplex', 'duplex', 'duplex-direct')

# Reported on the system until patching tracks real loads.
SOFTWARE_VERSION = '1.0'

# Host actions, sent as PATCH /v1/ihosts/{host} [{"path": "/action"}], and
# the task each shows while it runs.
ACTION_NONE = 'none'
LOCK = 'lock'
FORCE_LOCK = 'force-lock'
UNLOCK = 'unlock'
REBOOT = 'reboot'
RESET = 'reset'
POWER_ON = 'power-on'
POWER_OFF = 'power-off'
SWACT = 'swact'
ACTION_TASKS = {
    LOCK: 'Locking',
    FORCE_LOCK: 'Force Locking',
    UNLOCK: 'Unlocking',
    REBOOT: 'Rebooting',
    RESET: 'Resetting',
    POWER_ON: 'Powering-on',
    POWER_OFF: 'Powering-off',
    SWACT: 'Swacting',
}
ACTIONS = tuple(ACTION_TASKS)
AVAILABILITY_AVAILABLE = 'available'
AVAILABILITY_FAILED = 'failed'
AVAILABILITY_POWER_OFF = 'power-off'

# A host's configuration: applied by its agent on unlock.
CONFIG_OUT_OF_DATE = 'Config out-of-date'

# CPU functions as PUT .../state/host_cpus_modify names them, and the
# allocated_function each becomes. Cores not given to another function
# are Application cores.
PLATFORM_FUNCTION = 'Platform'
APPLICATION_FUNCTION = 'Application'
CPU_FUNCTION_NAMES = {'platform': PLATFORM_FUNCTION,
                      'shared': 'Shared',
                      'application-isolated': 'Application-isolated',
                      'application': APPLICATION_FUNCTION}

# Huge page sizes in MiB.
HUGEPAGE_2M_MIB = 2
HUGEPAGE_1G_MIB = 1024

# Alarms this service raises (fm's catalogue).
ALARM_HOST_LOCKED = '200.001'
ALARM_HOST_CONFIG = '200.011'

# Interfaces: what they stand on and what they carry.
IFTYPE_ETHERNET = 'ethernet'
IFCLASS_NONE = 'none'
IFCLASS_SRIOV = 'pci-sriov'
IFCLASSES = (IFCLASS_NONE, 'platform', 'data', IFCLASS_SRIOV,
             'pci-passthrough')
