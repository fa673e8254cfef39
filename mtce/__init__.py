"""Host maintenance: life cycle, heartbeat failure detection, BMC control
and automatic recovery (StarlingX's mtce)."""
