"""Policy rules of the inventory service, one module per resource."""

import itertools

from oslo_config import cfg

from stxcommon import policy
from sysinv.policies import host
from sysinv.policies import inventory
from sysinv.policies import system


def _rules():
    return list(itertools.chain(system.rules, host.rules, inventory.rules))


def list_rules():
    return list(policy.base_rules) + _rules()


def get_enforcer(conf):
    return policy.make_enforcer(conf, _rules())


def get_enforcer_for_genpolicy():
    """For oslopolicy-sample-generator / -policy-generator."""
    conf = cfg.ConfigOpts()
    conf([], project='sysinv')
    return get_enforcer(conf)
