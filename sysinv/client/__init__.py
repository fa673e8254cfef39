"""Clients of the inventory (platform) API."""
