"""One place that shapes every error body the StarlingX way.

StarlingX clients read ``error_message``, a string that itself holds a JSON
object with ``faultcode``, ``faultstring`` and ``debuginfo``. WSME, pecan and
keystonemiddleware each produce their own error bodies; this middleware
rewrites them all, and hides the text of unexpected server errors.
"""

import json
import logging

import webob

from stxcommon import exception

LOG = logging.getLogger(__name__)

_GENERIC_500 = 'Internal server error; see the service log for details.'


def _fault_text(status, body, content_type):
    """The human message inside whatever error body we were handed."""
    if content_type and 'json' in content_type:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict):
            if 'faultstring' in data:
                return data['faultstring']
            error = data.get('error')
            if isinstance(error, dict) and error.get('message'):
                return error['message']
    text = body.decode('utf-8', 'replace') if isinstance(body, bytes) else body
    return text.strip() or status


class ParsableErrorMiddleware:
    """Rewrite 4xx/5xx responses to ``{"error_message": "<json>"}``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        request = webob.Request(environ)
        try:
            response = request.get_response(self.app)
        except exception.StxError as exc:
            # Raised outside WSME, e.g. by a pecan hook.
            response = webob.Response(status=exc.code,
                                      json_body={'faultstring': str(exc)})
        except Exception:
            LOG.exception('Unhandled error on %s %s', request.method,
                          request.path)
            response = webob.Response(status=500, body=b'')
        if response.status_int < 400:
            return response(environ, start_response)
        message = _fault_text(response.status, response.body,
                              response.content_type)
        if response.status_int == 500:
            LOG.error('Internal error on %s %s: %s', request.method,
                      request.path, message)
            message = _GENERIC_500
        fault = {
            'faultcode': 'Client' if response.status_int < 500 else 'Server',
            'faultstring': message,
            'debuginfo': None,
        }
        body = json.dumps({'error_message': json.dumps(fault)})
        response.body = body.encode('utf-8')
        response.content_type = 'application/json'
        response.charset = 'utf-8'
        return response(environ, start_response)
