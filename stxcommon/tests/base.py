"""Test base classes and fixtures other services reuse."""

import warnings

import fixtures
import testtools


class TestCase(testtools.TestCase):
    """Quiet, bounded tests: warnings shown once, no test over 120 s."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.Timeout(120, gentle=True))
        self.useFixture(fixtures.WarningsCapture())
        warnings.simplefilter('ignore', DeprecationWarning)
