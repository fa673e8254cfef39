"""Policy rules of the fault service, one module per resource."""

import itertools

from oslo_config import cfg

from fm.policies import alarm
from fm.policies import event_log
from fm.policies import event_suppression
from stxcommon import policy


def list_rules():
    return list(itertools.chain(policy.base_rules, alarm.rules,
                                event_log.rules, event_suppression.rules))


def get_enforcer(conf):
    return policy.make_enforcer(conf, list(itertools.chain(
        alarm.rules, event_log.rules, event_suppression.rules)))


def get_enforcer_for_genpolicy():
    """For oslopolicy-sample-generator / -policy-generator."""
    conf = cfg.ConfigOpts()
    conf([], project='fm')
    return get_enforcer(conf)
