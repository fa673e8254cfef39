from oslo_policy import policy

rules = [
    policy.DocumentedRuleDefault(
        'sysinv:host:get', 'rule:reader_api', 'List and show hosts.',
        [{'path': '/v1/ihosts', 'method': 'GET'},
         {'path': '/v1/ihosts/{host_uuid}', 'method': 'GET'},
         {'path': '/v1/ihosts/bulk_export', 'method': 'GET'}]),
    policy.DocumentedRuleDefault(
        'sysinv:host:add', 'rule:admin_api', 'Add hosts.',
        [{'path': '/v1/ihosts', 'method': 'POST'},
         {'path': '/v1/ihosts/bulk_add', 'method': 'POST'}]),
    policy.DocumentedRuleDefault(
        'sysinv:host:modify', 'rule:admin_api',
        'Change a host, or start an action on it (lock, unlock, reboot, '
        'reset, power-on, power-off, swact).',
        [{'path': '/v1/ihosts/{host_uuid}', 'method': 'PATCH'}]),
    policy.DocumentedRuleDefault(
        'sysinv:host:delete', 'rule:admin_api', 'Delete a locked host.',
        [{'path': '/v1/ihosts/{host_uuid}', 'method': 'DELETE'}]),
]
