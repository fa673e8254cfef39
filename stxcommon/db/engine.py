"""An enginefacade transaction context bound to one service's conf.

oslo.db's facade reads the global ``cfg.CONF`` unless every option is given
to ``configure()``; passing the service's own ``[database]`` values keeps
several services (each with its own database) apart in one process.
"""

import contextlib
import contextvars

from oslo_db.sqlalchemy import enginefacade
from sqlalchemy import event

# Set while a writer() transaction runs: on sqlite it begins IMMEDIATE.
_WRITING = contextvars.ContextVar('stx_db_writing', default=False)

# [database] options that the facade accepts through configure().
_FACADE_OPTIONS = (
    'connection', 'slave_connection', 'sqlite_synchronous',
    'mysql_sql_mode', 'connection_recycle_time', 'connection_debug',
    'max_pool_size', 'max_overflow', 'pool_timeout', 'max_retries',
    'retry_interval', 'connection_trace',
)


class _Scope:
    """A throwaway context object: each ``using()`` gets its own."""


class Database:
    """Sessions and engine for one service's database."""

    def __init__(self, conf):
        self._txn = enginefacade.transaction_context()
        options = {name: getattr(conf.database, name)
                   for name in _FACADE_OPTIONS if name in conf.database}
        self.connection_url = options['connection']
        self._txn.configure(**options)
        self._txn.append_on_engine_create(_tune_engine)

    @contextlib.contextmanager
    def writer(self):
        """A context manager yielding a Session in its own transaction."""
        token = _WRITING.set(True)
        try:
            with self._txn.writer.using(_Scope()) as session:
                yield session
        finally:
            _WRITING.reset(token)

    def reader(self):
        return self._txn.reader.using(_Scope())

    @property
    def engine(self):
        return self._txn.writer.get_engine()

    @property
    def dialect(self):
        return self.engine.dialect.name

    def dispose(self):
        self._txn.dispose_pool()


def _tune_engine(engine):
    """sqlite: WAL, a busy timeout and writers that lock up front, so API
    readers and concurrent writers coexist."""
    if engine.dialect.name != 'sqlite' or engine.url.database in (
            None, '', ':memory:'):
        return

    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA busy_timeout=10000')
        cursor.close()

    # oslo.db emits a plain BEGIN itself (marking conn.info, which it
    # clears on commit and rollback); this listener takes its place and
    # begins writers IMMEDIATE: a deferred transaction that reads, then
    # writes after another connection's commit fails at once with
    # "database is locked" (a WAL snapshot cannot be upgraded, and the
    # busy timeout does not apply), while IMMEDIATE waits for the write
    # lock under busy_timeout before reading anything.
    for listener in list(engine.dispatch.begin):
        if getattr(listener, '__name__', '') == '_sqlite_emit_begin':
            event.remove(engine, 'begin', listener)

    @event.listens_for(engine, 'begin')
    def _on_begin(connection):
        if 'in_transaction' not in connection.info:
            connection.exec_driver_sql(
                'BEGIN IMMEDIATE' if _WRITING.get() else 'BEGIN')
            connection.info['in_transaction'] = True
