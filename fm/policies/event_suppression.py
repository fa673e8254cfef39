from oslo_policy import policy

rules = [
    policy.DocumentedRuleDefault(
        'fm:event_suppression:get', 'rule:reader_api',
        'List which alarm IDs are suppressed.',
        [{'path': '/v1/event_suppression', 'method': 'GET'}]),
    policy.DocumentedRuleDefault(
        'fm:event_suppression:modify', 'rule:admin_api',
        'Suppress or unsuppress an alarm ID.',
        [{'path': '/v1/event_suppression/{event_suppression_uuid}',
          'method': 'PATCH'}]),
]
