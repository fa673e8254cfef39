"""Shared, domain-free building blocks for every control-plane service.

Nothing in here knows about hosts, alarms or subclouds: it wires up
configuration, processes, RPC, the database, the REST layer and auth the
same way for every service.
"""
