"""A scripted, recording REST API for client and CLI tests.

Each test queues StarlingX-shaped answers and reads back the requests the
client made, so a test reads as "this call sends that request and turns
this answer into that result".
"""

import collections
import json
import threading
import time
from urllib import parse
from wsgiref import simple_server

import fixtures

Request = collections.namedtuple(
    'Request', 'method path query headers body')


def error_body(faultstring, faultcode='Client'):
    """StarlingX's error shape: a JSON string inside ``error_message``."""
    return {'error_message': json.dumps({
        'faultcode': faultcode, 'faultstring': faultstring,
        'debuginfo': None})}


class QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


class FakeAPI(fixtures.Fixture):
    """A scripted REST API on a free port of 127.0.0.1.

    ``respond(method, path, body, status)`` queues an answer; each request
    takes the next one, and the last stays for any further requests.
    Unscripted requests get a StarlingX-style 404. ``requests`` lists what
    arrived, with the query as (name, value) pairs in order and a JSON
    body decoded (any other body stays bytes).
    """

    def _setUp(self):
        self.requests = []
        self._answers = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()
        self.url = self.useFixture(ServedApp(self._app)).url

    def respond(self, method, path, body=None, status=200, delay=0,
                content_type='application/json'):
        if content_type == 'application/json' and body is not None:
            body = json.dumps(body)
        with self._lock:
            self._answers[(method, path)].append(
                (status, body or '', delay, content_type))

    def forget(self, method, path):
        """Drop the answers queued for a request."""
        with self._lock:
            self._answers.pop((method, path), None)

    def _answer(self, method, path):
        with self._lock:
            queue = self._answers.get((method, path))
            if not queue:
                return (404, json.dumps(error_body(
                    'Resource could not be found.')), 0, 'application/json')
            return queue.popleft() if len(queue) > 1 else queue[0]

    def _app(self, environ, start_response):
        length = int(environ.get('CONTENT_LENGTH') or 0)
        raw = environ['wsgi.input'].read(length) if length else b''
        headers = {key[5:].replace('_', '-').title(): value
                   for key, value in environ.items()
                   if key.startswith('HTTP_')}
        if raw:
            headers['Content-Type'] = environ.get('CONTENT_TYPE')
        method, path = environ['REQUEST_METHOD'], environ['PATH_INFO']
        body = raw or None
        if raw and 'json' in (environ.get('CONTENT_TYPE') or ''):
            body = json.loads(raw)
        self.requests.append(Request(
            method, path,
            parse.parse_qsl(environ.get('QUERY_STRING', ''),
                            keep_blank_values=True),
            headers, body))
        status, body, delay, content_type = self._answer(method, path)
        if delay:
            time.sleep(delay)
        data = body.encode('utf-8')
        reason = {200: 'OK', 204: 'No Content', 400: 'Bad Request',
                  404: 'Not Found', 500: 'Internal Server Error'}
        start_response('%d %s' % (status, reason.get(status, 'Status')),
                       [('Content-Type', content_type),
                        ('Content-Length', str(len(data)))])
        return [data]


class ServedApp(fixtures.Fixture):
    """A WSGI app (a real service's, in-process) over HTTP on 127.0.0.1."""

    def __init__(self, app):
        self.app = app

    def _setUp(self):
        server = simple_server.make_server('127.0.0.1', 0, self.app,
                                           handler_class=QuietHandler)
        thread = threading.Thread(target=server.serve_forever,
                                  kwargs={'poll_interval': 0.05},
                                  daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(thread.join, 10)
        self.addCleanup(server.shutdown)
        self.url = 'http://127.0.0.1:%d' % server.server_port


class ClientTestMixin:
    """A client (``client_class``) pointed at a fresh :class:`FakeAPI`."""

    client_class = None

    def setUp(self):
        super().setUp()
        from keystoneauth1 import noauth
        from keystoneauth1 import session as ks_session
        self.api = self.useFixture(FakeAPI())
        self.session = ks_session.Session(auth=noauth.NoAuth())
        self.client = self.client_class(self.session,
                                        endpoint_override=self.api.url)

    def assertRequest(self, method, path, query=(), index=-1):
        request = self.api.requests[index]
        self.assertEqual((method, path, list(query)),
                         (request.method, request.path, request.query))
        return request


class FakeClientManager:
    """The parts of OSC's ClientManager that a plugin's make_client uses."""

    def __init__(self, api_name, session, endpoint, version='1'):
        self._api_version = {api_name: version}
        self.session = session
        self.region_name = 'RegionTwo'
        self.interface = 'internal'
        self.endpoint = endpoint
        self.lookups = []
        self.auth_set_up = False

    def setup_auth(self):
        self.auth_set_up = True

    def get_endpoint_for_service_type(self, service_type, region_name=None,
                                      interface='public'):
        self.lookups.append((service_type, region_name, interface))
        return self.endpoint
