"""Enumerated values shared by the fault management service.

Plain data only. The values match StarlingX's FM API so that records
exchanged with StarlingX-style tooling keep their meaning.
"""

# State a fault is reported with: raised, cleared, or a one-off message.
ALARM_STATES = ('set', 'clear', 'msg')

# State of an event-log entry: alarm raised, alarm cleared, or plain log.
EVENT_STATES = ('set', 'clear', 'log')

# Kind of catalogue entry: a stateful alarm or a stateless customer log.
EVENT_TYPES = ('alarm', 'log')

# Severities an alarm or log can carry, most severe first.
SEVERITIES = ('critical', 'major', 'minor', 'warning')

# Severity value StarlingX reports on a cleared record; never raised itself.
SEVERITY_CLEAR = 'clear'

# Lowest alarm severity that blocks management actions; 'none' = never.
MGMT_AFFECTING_SEVERITIES = ('none',) + SEVERITIES

# Lowest severity of an alarm that degrades its host; 'none' means never.
DEGRADE_AFFECTING_SEVERITIES = ('none', 'critical', 'major', 'minor')

# Suppression state of an alarm ID as set by the operator.
SUPPRESSION_STATUSES = ('suppressed', 'unsuppressed')

# Overall system health reported by the alarm summary.
SUMMARY_STATUS_OK = 'OK'
SUMMARY_STATUS_DEGRADED = 'degraded'
SUMMARY_STATUS_CRITICAL = 'critical'
SUMMARY_STATUSES = (SUMMARY_STATUS_OK, SUMMARY_STATUS_DEGRADED,
                    SUMMARY_STATUS_CRITICAL)

# Broad category of a fault (X.733-style event type), as StarlingX lists them.
ALARM_TYPES = (
    'other',
    'communication',
    'qos',
    'processing-error',
    'equipment',
    'environmental',
    'integrity-violation',
    'operational-violation',
    'physical-violation',
    'security-service-or-mechanism-violation',
    'time-domain-violation',
)

# Probable cause of a fault (X.733-style): StarlingX's list plus 'unknown'.
PROBABLE_CAUSES = (
    'adaptor-error',
    'application-subsystem-failure',
    'bandwidth-reduced',
    'call-establishment-error',
    'communication-protocol-error',
    'communication-subsystem-failure',
    'configuration-or-customization-error',
    'congestion',
    'corrupt-data',
    'cpu-cycles-limit-exceeded',
    'dataset-or-modem-error',
    'degraded-signal',
    'dte-dce-interface-error',
    'enclosure-door-open',
    'equipment-malfunction',
    'excessive-vibration',
    'file-error',
    'fire-detected',
    'flood-detected',
    'framing-error',
    'heating-ventilation-cooling-system-problem',
    'humidity-unacceptable',
    'io-device-error',
    'input-device-error',
    'lan-error',
    'leak-detected',
    'local-node-transmission-error',
    'loss-of-frame',
    'loss-of-signal',
    'material-supply-exhausted',
    'multiplexer-problem',
    'out-of-memory',
    'output-device-error',
    'performance-degraded',
    'power-problem',
    'processor-problem',
    'pump-failure',
    'queue-size-exceeded',
    'receive-failure',
    'receiver-failure',
    'remote-node-transmission-error',
    'resource-at-or-nearing-capacity',
    'response-time-excessive',
    'retransmission-rate-excessive',
    'software-error',
    'software-program-abnormally-terminated',
    'software-program-error',
    'storage-capacity-problem',
    'temperature-unacceptable',
    'threshold-crossed',
    'timing-problem',
    'toxic-leak-detected',
    'transmit-failure',
    'transmitter-failure',
    'underlying-resource-unavailable',
    'version-mismatch',
    'duplicate-information',
    'information-missing',
    'information-modification-detected',
    'information-out-of-sequence',
    'unexpected-information',
    'denial-of-service',
    'out-of-service',
    'procedural-error',
    'unspecified-reason',
    'cable-tamper',
    'intrusion-detection',
    'authentication-failure',
    'breach-of-confidentiality',
    'non-repudiation-failure',
    'unauthorized-access-attempt',
    'delayed-information',
    'key-expired',
    'out-of-hours-activity',
    'configuration-out-of-date',
    'configuration-provisioning-required',
    'certificate-expiration',
    'unknown',
)
