"""Run a real Keystone as a child process (functional tests, stx-aio).

Keystone reads the global ``cfg.CONF`` and owns its own ``[database]``, so it
cannot share a process with our services; :mod:`.server` runs it under gunicorn
and :mod:`.identity` provisions users and catalog entries over its REST API.
"""
