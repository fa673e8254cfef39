"""The all-in-one (``stx-aio``): local Keystone plus every service as threads.

stxcommon knows no domain, so services plug in: each one names an object in
the ``stx.aio.services`` entry point group, a :class:`Plugin` that says what
the service is called in the Keystone catalog, which port it prefers, and how
to build it for the all-in-one (:meth:`Plugin.build`). The runner
(:mod:`stxcommon.aio.runner`) starts Keystone, hands each plugin a
:class:`Context`, serves what the plugins build and registers their endpoints.
"""

import configparser
import dataclasses
import io
import os
import socket
from importlib import metadata

ENTRY_POINT_GROUP = 'stx.aio.services'


@dataclasses.dataclass
class Keystone:
    """How a service reaches the local Keystone (admin credentials)."""

    auth_url: str
    region: str
    username: str
    password: str
    project: str = 'admin'
    user_domain: str = 'Default'
    project_domain: str = 'Default'

    def authtoken_options(self, service_type=None):
        """The ``[keystone_authtoken]`` options for keystonemiddleware."""
        options = {
            'auth_type': 'password',
            'auth_url': self.auth_url,
            'www_authenticate_uri': self.auth_url,
            'username': self.username,
            'password': self.password,
            'project_name': self.project,
            'user_domain_name': self.user_domain,
            'project_domain_name': self.project_domain,
            'region_name': self.region,
            'interface': 'internal',
        }
        if service_type:
            options['service_type'] = service_type
        return options


@dataclasses.dataclass
class Context:
    """What the runner hands a plugin's :meth:`Plugin.build`."""

    name: str
    state_dir: str
    host: str
    port: int
    transport_url: str
    keystone: Keystone
    # Settings from the command line that plugins may read, e.g. 'hosts'
    # (how many simulated hosts to run).
    options: dict = dataclasses.field(default_factory=dict)

    def path(self, *names):
        """A path inside the all-in-one's state folder."""
        return os.path.join(self.state_dir, *names)

    def sqlite_url(self, filename=None):
        """``sqlite:///DIR/<name>.sqlite`` (or ``filename``)."""
        return 'sqlite:///' + self.path(filename or self.name + '.sqlite')

    def write_config(self, filename, sections):
        """Write ``{section: {option: value}}`` as an ini file, mode 0600.

        The file may hold passwords (the admin's, a broker's): only the
        owner can read it. Values are written literally: oslo.config would
        substitute ``$name``, so ``$`` is escaped. Returns its path.
        """
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # keep option names as given
        for section, options in sections.items():
            if section != 'DEFAULT':
                parser.add_section(section)
            for key, value in options.items():
                if value is not None:
                    parser.set(section, key, str(value).replace('$', '$$'))
        text = io.StringIO()
        text.write('# Written by stx-aio on every start: edits are lost.\n')
        parser.write(text)
        path = self.path(filename)
        write_private(path, text.getvalue())
        return path


@dataclasses.dataclass
class Parts:
    """What a plugin built: its REST app and its background services.

    ``app_factory`` is called once, in the serving thread's set-up, to make
    the WSGI application. ``services`` have ``start()`` and ``stop()`` (an
    oslo.service ``ServiceBase``, e.g. stxcommon.service.MessagingService).
    ``cleanups`` run after everything stopped, last first.
    """

    app_factory: object
    services: list = dataclasses.field(default_factory=list)
    cleanups: list = dataclasses.field(default_factory=list)
    threads: int = 16
    # One console line for a plugin without a REST API.
    summary: str = ''


class Plugin:
    """One service of the all-in-one; subclass it and set the attributes.

    ``path`` is appended to ``http://host:port`` for the catalog endpoint
    (``/`` adds nothing). A plugin with no ``service_type`` has no REST API
    (simulated hosts, say): its ``Parts.app_factory`` is None. Plugins are
    built and started by ``order``, then name: a lower order starts first.
    """

    name = None
    service_type = None
    description = ''
    default_port = None
    path = '/'
    order = 50

    def endpoint_url(self, host, port):
        path = '' if self.path in ('', '/') else '/' + self.path.strip('/')
        return 'http://%s:%d%s' % (host, port, path)

    def configure(self, context, new_conf, extra_sections=None):
        """Write ``DIR/<name>.conf`` (0600) and load it into ``new_conf()``.

        Every service of the suite reads the same sections: the broker,
        Keystone auth, a sqlite database and its API's bind address.
        """
        sections = {
            'DEFAULT': {'transport_url': context.transport_url,
                        'auth_strategy': 'keystone'},
            'database': {'connection': context.sqlite_url()},
            'api': {'bind_host': context.host, 'bind_port': context.port},
            'keystone_authtoken': context.keystone.authtoken_options(
                self.service_type),
        }
        for section, options in (extra_sections or {}).items():
            sections.setdefault(section, {}).update(options)
        path = context.write_config(self.name + '.conf', sections)
        conf = new_conf()
        # Only this file: never /etc/<name>/<name>.conf or ~/.<name>.conf.
        conf(args=[], project=self.name, default_config_files=[path])
        return conf

    def build(self, context):
        """Configure, migrate and assemble the service; return :class:`Parts`.

        Called on every start: whatever it does to the state folder (config
        files, database migrations, seeding) must be idempotent.
        """
        raise NotImplementedError


class PluginError(RuntimeError):
    """A plugin could not be loaded or is not usable."""


def discover(group=ENTRY_POINT_GROUP):
    """The plugins installed in ``group``, ``{name: Plugin}``, by name.

    An entry point may name a Plugin instance, or a class or factory that
    returns one.
    """
    plugins = {}
    for entry in sorted(metadata.entry_points(group=group),
                        key=lambda e: e.name):
        try:
            obj = entry.load()
            plugin = obj() if callable(obj) and not isinstance(
                obj, Plugin) else obj
        except Exception as exc:
            raise PluginError('cannot load stx-aio service %s (%s): %s' % (
                entry.name, entry.value, exc)) from exc
        if not isinstance(plugin, Plugin):
            raise PluginError('stx-aio service %s (%s) is not a Plugin' % (
                entry.name, entry.value))
        if plugin.name != entry.name:
            raise PluginError('stx-aio service entry point %s names plugin '
                              '%s' % (entry.name, plugin.name))
        plugins[entry.name] = plugin
    return plugins


def write_private(path, text):
    """Write ``text`` to ``path`` readable by the owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # the file may have existed with wider modes
    with os.fdopen(fd, 'w') as f:
        f.write(text)


def kept_udp_port(path, address):
    """A UDP port free on ``address``, picked once and kept in ``path``,
    so that parts built apart (a fleet and the service that talks to it)
    agree on it across restarts."""
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        pass
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((address, 0))
        port = sock.getsockname()[1]
    finally:
        sock.close()
    write_private(path, '%d\n' % port)
    return port
