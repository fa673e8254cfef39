from oslo_policy import policy

rules = [
    policy.DocumentedRuleDefault(
        'fm:event_log:get', 'rule:reader_api', 'List and show the event log.',
        [{'path': '/v1/event_log', 'method': 'GET'},
         {'path': '/v1/event_log/{log_uuid}', 'method': 'GET'}]),
]
