"""A BMC worker process: ``python -m mtce.bmc.worker``.

Reads one JSON request per line on stdin (``id``, ``action``,
``address``, ``port``, ``username``, ``password``) and writes one JSON
answer per line: ``{"id": ..., "result": ...}`` or ``{"id": ...,
"error": kind, "message": ...}``.  The real stdout is kept for answers
only; anything a library prints goes to stderr.  Exits at end of input.
"""

import json
import os
import sys

from mtce.bmc import ipmi


def _answer(request):
    try:
        result = ipmi.run(request['action'], request['address'],
                          int(request['port']), request['username'],
                          request['password'])
    except ipmi.Failure as exc:
        return {'error': exc.kind, 'message': str(exc)}
    except Exception as exc:
        # pyghmi's own bugs (AttributeError, struct.error, ...) are BMC
        # failures to the caller, never a dead worker.
        return {'error': ipmi.ERROR,
                'message': '%s: %s' % (type(exc).__name__, exc)}
    return {'result': result}


def main():
    ipmi.bound_io_waits()
    answers = os.fdopen(os.dup(sys.stdout.fileno()), 'w', buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    answers.write(json.dumps({'id': 0, 'ready': True}) + '\n')
    for line in sys.stdin:
        try:
            request = json.loads(line)
            request_id = request['id']
        except (ValueError, KeyError, TypeError):
            continue
        answer = _answer(request)
        answer['id'] = request_id
        answers.write(json.dumps(answer) + '\n')


if __name__ == '__main__':
    main()
