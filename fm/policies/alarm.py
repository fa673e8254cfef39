from oslo_policy import policy

rules = [
    policy.DocumentedRuleDefault(
        'fm:alarm:get', 'rule:reader_api', 'List, show and summarize alarms.',
        [{'path': '/v1/alarms', 'method': 'GET'},
         {'path': '/v1/alarms/{alarm_uuid}', 'method': 'GET'},
         {'path': '/v1/alarms/summary', 'method': 'GET'}]),
    policy.DocumentedRuleDefault(
        'fm:alarm:create', 'rule:admin_api', 'Raise an alarm over REST.',
        [{'path': '/v1/alarms', 'method': 'POST'}]),
    policy.DocumentedRuleDefault(
        'fm:alarm:update', 'rule:admin_api', 'Update an alarm over REST.',
        [{'path': '/v1/alarms/{alarm_uuid}', 'method': 'PUT'}]),
    policy.DocumentedRuleDefault(
        'fm:alarm:delete', 'rule:admin_api', 'Delete an alarm by hand.',
        [{'path': '/v1/alarms/{alarm_uuid}', 'method': 'DELETE'}]),
]
