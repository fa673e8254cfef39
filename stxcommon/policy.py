"""oslo.policy with reader / member / admin defaults.

Every service registers its rules on an Enforcer built over its own conf,
so a ``policy.yaml`` override applies to that service only.
"""

from oslo_policy import policy

from stxcommon import exception

ADMIN = 'role:admin'
# Keystone tokens carry implied roles (admin > member > reader), but a
# deployment may lack the inference rules: accept any of the three.
READER = 'role:reader or role:member or role:admin'

base_rules = [
    policy.RuleDefault('admin_api', ADMIN,
                       description='Administrators of the cloud.'),
    policy.RuleDefault('reader_api', READER,
                       description='Any user allowed to read.'),
]


def make_enforcer(conf, rules):
    """An Enforcer over ``conf`` with ``base_rules`` and ``rules``."""
    enforcer = policy.Enforcer(conf)
    enforcer.register_defaults(base_rules)
    enforcer.register_defaults(rules)
    return enforcer


def authorize(enforcer, rule, context, target=None):
    """Raise PolicyNotAuthorized (403) unless ``context`` may do ``rule``."""
    target = target or {'project_id': context.project_id}
    enforcer.authorize(rule, target, context, do_raise=True,
                       exc=exception.PolicyNotAuthorized, action=rule)
