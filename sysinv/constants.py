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
