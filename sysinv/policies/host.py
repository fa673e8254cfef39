from oslo_policy import policy

rules = [
    policy.DocumentedRuleDefault(
        'sysinv:host:get', 'rule:reader_api', 'List and show hosts.',
        [{'path': '/v1/ihosts', 'method': 'GET'},
         {'path': '/v1/ihosts/{host_uuid}', 'method': 'GET'}]),
    policy.DocumentedRuleDefault(
        'sysinv:host:add', 'rule:admin_api', 'Add a host.',
        [{'path': '/v1/ihosts', 'method': 'POST'}]),
    policy.DocumentedRuleDefault(
        'sysinv:host:modify', 'rule:admin_api', 'Change a host.',
        [{'path': '/v1/ihosts/{host_uuid}', 'method': 'PATCH'}]),
    policy.DocumentedRuleDefault(
        'sysinv:host:delete', 'rule:admin_api', 'Delete a locked host.',
        [{'path': '/v1/ihosts/{host_uuid}', 'method': 'DELETE'}]),
]
