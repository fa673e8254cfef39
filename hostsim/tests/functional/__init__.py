"""The hostsim command as a real process against real sysinv services."""
