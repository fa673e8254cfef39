from oslo_policy import policy

rules = [
    policy.DocumentedRuleDefault(
        'sysinv:system:get', 'rule:reader_api', 'List and show the system.',
        [{'path': '/v1/isystems', 'method': 'GET'},
         {'path': '/v1/isystems/{system_uuid}', 'method': 'GET'}]),
    policy.DocumentedRuleDefault(
        'sysinv:system:modify', 'rule:admin_api',
        'Change the name, description, location or contact of the system.',
        [{'path': '/v1/isystems', 'method': 'PATCH'},
         {'path': '/v1/isystems/{system_uuid}', 'method': 'PATCH'}]),
]
