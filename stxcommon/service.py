"""Long-running parts of a service, for oslo.service or for threads.

A console script hands these to :func:`run`, which uses oslo.service's
(threading backend) launcher. The all-in-one and the tests start the same
objects as threads in one process with ``start()`` / ``stop()``.
Everything that opens sockets or connections is built in ``start()`` so a
forking launcher never shares them between processes.
"""

import gc
import logging
import threading

from cheroot import wsgi
from oslo_service import service

LOG = logging.getLogger(__name__)


class WSGIService(service.ServiceBase):
    """Serve a WSGI app with cheroot's thread pool."""

    def __init__(self, name, app_factory, host, port, threads=16):
        self.name = name
        self._app_factory = app_factory
        self._bind = (host, port)
        self._threads = threads
        self._server = None
        self._thread = None

    @property
    def port(self):
        """The bound port (useful when asked for port 0)."""
        return self._server.bind_addr[1]

    def start(self):
        app = self._app_factory()
        # Everything built so far lives as long as the process: keep it out
        # of the cyclic collector's full passes, which otherwise rescan it
        # and show up as tail latency on large responses.
        gc.freeze()
        self._server = wsgi.Server(self._bind, app,
                                   numthreads=self._threads,
                                   server_name=self.name)
        self._server.prepare()
        self._thread = threading.Thread(target=self._server.serve,
                                        name=self.name, daemon=True)
        self._thread.start()
        LOG.info('%s listening on http://%s:%s', self.name,
                 self._bind[0], self.port)

    def stop(self, graceful=True):
        if self._server is not None:
            self._server.stop()

    def wait(self):
        if self._thread is not None:
            self._thread.join()

    def reset(self):
        pass


class MessagingService(service.ServiceBase):
    """Run an oslo.messaging server (RPC or notification listener).

    ``server_factory`` returns ``(server, cleanup)``; cleanup runs on stop.
    """

    def __init__(self, name, server_factory):
        self.name = name
        self._server_factory = server_factory
        self._server = None
        self._cleanup = None
        self._stopped = threading.Event()

    def start(self):
        self._stopped.clear()
        self._server, self._cleanup = self._server_factory()
        self._server.start()
        LOG.info('%s started', self.name)

    def stop(self, graceful=True):
        if self._server is not None:
            self._server.stop()
            self._server.wait()
            self._server = None
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None
        self._stopped.set()

    def wait(self):
        self._stopped.wait()

    def reset(self):
        pass


def run(conf, svc, workers=1):
    """Run ``svc`` until SIGTERM/SIGINT, as a console script does."""
    launcher = service.launch(conf, svc, workers=workers,
                              restart_method='mutate')
    return launcher.wait()
