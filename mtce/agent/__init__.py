"""mtce-agent: host state machines, heartbeat monitor, BMC control."""
