"""mtce-client: what runs on every host for maintenance."""
