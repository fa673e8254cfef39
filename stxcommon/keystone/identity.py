"""Idempotent provisioning through Keystone's identity v3 REST API.

Raw REST over a keystoneauth1 Adapter keeps the dependencies to keystoneauth1
alone (no python-keystoneclient). Every function looks first and creates or
updates only what is missing or different, so start-up code can call them on
every start.
"""

import logging
import time

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

LOG = logging.getLogger(__name__)

DEFAULT_DOMAIN = 'default'


def admin_adapter(auth_url, username, password, project='admin',
                  timeout=30):
    """Return an Adapter on ``auth_url`` authenticated as a project admin."""
    auth = v3.Password(auth_url=auth_url, username=username,
                       password=password, project_name=project,
                       user_domain_id=DEFAULT_DOMAIN,
                       project_domain_id=DEFAULT_DOMAIN)
    sess = ks_session.Session(auth=auth, timeout=timeout)
    # endpoint_override skips version discovery: one round trip less a call.
    return ks_adapter.Adapter(sess, endpoint_override=auth_url)


def _find_one(adapter, collection, **filters):
    resp = adapter.get('/%s' % collection, params=filters)
    found = resp.json()[collection]
    return found[0] if found else None


def ensure_project(adapter, name, domain_id=DEFAULT_DOMAIN):
    """Return the project's id, creating the project if it is missing."""
    project = _find_one(adapter, 'projects', name=name, domain_id=domain_id)
    if project is None:
        body = {'project': {'name': name, 'domain_id': domain_id}}
        project = adapter.post('/projects', json=body).json()['project']
        LOG.info('Created project %s', name)
    return project['id']


def ensure_role(adapter, name):
    """Return the role's id, creating the role if it is missing."""
    role = _find_one(adapter, 'roles', name=name)
    if role is None:
        body = {'role': {'name': name}}
        role = adapter.post('/roles', json=body).json()['role']
        LOG.info('Created role %s', name)
    return role['id']


def _password_works(adapter, user_id, password):
    body = {'auth': {'identity': {'methods': ['password'], 'password': {
        'user': {'id': user_id, 'password': password}}}}}
    try:
        # authenticated=False: this request carries no admin token.
        adapter.post('/auth/tokens', json=body, authenticated=False)
    except ks_exc.Unauthorized:
        return False
    return True


def _wait_for_next_second():
    # A password change revokes the user's tokens issued up to that second
    # (revocation events are truncated to whole seconds), including tokens
    # issued with the new password in the same second: wait it out.
    time.sleep(1.05 - time.time() % 1)


def ensure_user(adapter, name, password, project='admin', roles=('reader',),
                domain_id=DEFAULT_DOMAIN):
    """Make sure user ``name`` exists with ``password`` and ``roles``.

    An existing user whose password no longer matches gets it reset, so the
    caller can rely on the credentials it passed. Returns the user's id.
    """
    user = _find_one(adapter, 'users', name=name, domain_id=domain_id)
    if user is None:
        body = {'user': {'name': name, 'password': password,
                         'domain_id': domain_id, 'enabled': True}}
        user = adapter.post('/users', json=body).json()['user']
        LOG.info('Created user %s', name)
    elif not _password_works(adapter, user['id'], password):
        body = {'user': {'password': password}}
        adapter.patch('/users/%s' % user['id'], json=body)
        LOG.info('Reset the password of user %s', name)
        _wait_for_next_second()
    project_id = ensure_project(adapter, project, domain_id)
    for role in roles:
        role_id = ensure_role(adapter, role)
        # PUT of a role assignment is idempotent (204 either way).
        adapter.put('/projects/%s/users/%s/roles/%s'
                    % (project_id, user['id'], role_id))
    return user['id']


def ensure_region(adapter, region_id):
    """Create region ``region_id`` if it is missing."""
    try:
        adapter.get('/regions/%s' % region_id)
    except ks_exc.NotFound:
        adapter.post('/regions', json={'region': {'id': region_id}})
        LOG.info('Created region %s', region_id)


def ensure_service(adapter, service_type, service_name, description=''):
    """Return the id of the service of this type and name, creating it."""
    resp = adapter.get('/services', params={'type': service_type})
    for service in resp.json()['services']:
        if service.get('name') == service_name:
            return service['id']
    body = {'service': {'type': service_type, 'name': service_name,
                        'description': description, 'enabled': True}}
    service = adapter.post('/services', json=body).json()['service']
    LOG.info('Created service %s (%s)', service_name, service_type)
    return service['id']


def ensure_endpoint(adapter, service_id, interface, url, region):
    """Return the endpoint id; create it, or point an existing one at url."""
    endpoint = _find_one(adapter, 'endpoints', service_id=service_id,
                         interface=interface, region_id=region)
    if endpoint is None:
        body = {'endpoint': {'service_id': service_id, 'interface': interface,
                             'url': url, 'region_id': region,
                             'enabled': True}}
        endpoint = adapter.post('/endpoints', json=body).json()['endpoint']
        LOG.info('Created %s endpoint %s in %s', interface, url, region)
    elif endpoint['url'] != url or not endpoint.get('enabled', True):
        body = {'endpoint': {'url': url, 'enabled': True}}
        adapter.patch('/endpoints/%s' % endpoint['id'], json=body)
        LOG.info('Updated %s endpoint to %s in %s', interface, url, region)
    return endpoint['id']


def ensure_service_endpoint(adapter, service_type, service_name, url, region,
                            interfaces=('public', 'internal', 'admin'),
                            description=''):
    """Register a service and its endpoints; return their ids.

    ``url`` is a string used for every interface, or a dict
    ``{interface: url}``. Returns ``{'service_id': ..., 'endpoints':
    {interface: endpoint_id}}``.
    """
    ensure_region(adapter, region)
    service_id = ensure_service(adapter, service_type, service_name,
                                description)
    endpoints = {}
    for interface in interfaces:
        iface_url = url[interface] if isinstance(url, dict) else url
        endpoints[interface] = ensure_endpoint(adapter, service_id, interface,
                                               iface_url, region)
    return {'service_id': service_id, 'endpoints': endpoints}
