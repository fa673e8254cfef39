"""gunicorn hooks for the Keystone child: stop when the parent is gone.

A test runner killed by SIGTERM or SIGKILL runs no atexit handler, and its
Keystone would live on, holding its port. When STX_KEYSTONE_PARENT_PID is set,
the gunicorn master watches its parent process and shuts down gracefully once
it has been re-parented. (PR_SET_PDEATHSIG would follow the parent *thread*,
so a server started from a short-lived thread would die with that thread.)
"""

import os
import signal
import threading
import time

PARENT_ENV = 'STX_KEYSTONE_PARENT_PID'


def _watch_parent(parent_pid, interval=1.0):
    while os.getppid() == parent_pid:
        time.sleep(interval)
    os.kill(os.getpid(), signal.SIGTERM)


def when_ready(server):
    parent = os.environ.get(PARENT_ENV)
    if parent:
        server.log.info('Stopping when process %s exits', parent)
        threading.Thread(target=_watch_parent, args=(int(parent),),
                         name='parent-watch', daemon=True).start()
