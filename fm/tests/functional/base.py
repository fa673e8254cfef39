"""fm-api and fm-manager as real processes on real services."""

from fm import client
from fm import conf as fm_conf
from stxcommon.tests import deployment


class FmServices(deployment.Deployment):
    """fm-dbsync, then fm-manager and fm-api."""

    project = 'fm'

    def __init__(self, backend, rabbit=None):
        super().__init__(backend, {'manager': {'batch_timeout': 0.05}},
                         rabbit=rabbit)

    def _setUp(self):
        super()._setUp()
        self.manager = self.start('fm-manager')
        self.api = self.start('fm-api', api=True)

    def fault_api(self, **kwargs):
        """An fm.client over the same vhost, as another service has it."""
        conf = fm_conf.new_conf()
        conf(['--config-file', self.config_file], project='fm')
        api = client.FaultAPIs.from_conf(conf, **kwargs)
        self.addCleanup(api.close)
        return api


class FunctionalTestCase(deployment.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.fm = self.useFixture(FmServices(self.backend))
