"""Generated /sys + /proc trees for simulated hosts."""

from hostsim.tree.generator import derived_mac
from hostsim.tree.generator import generate
from hostsim.tree.profile import load as load_profile
from hostsim.tree.profile import names as profile_names
from hostsim.tree.profile import PROFILE_DIR
from hostsim.tree.profile import ProfileError
from hostsim.tree.profile import validate as validate_profile

__all__ = ['PROFILE_DIR', 'ProfileError', 'derived_mac', 'generate',
           'load_profile', 'profile_names', 'validate_profile']
