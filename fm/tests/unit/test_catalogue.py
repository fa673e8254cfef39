"""Tests for the packaged alarm catalogue and its loader."""

import os
import tempfile

import testtools
import yaml

from fm import catalogue
from fm import constants

# IDs other services rely on; removing one from events.yaml breaks them.
REQUIRED_IDS = (
    '100.101', '100.103', '100.104',
    '200.001', '200.004', '200.005', '200.006', '200.009', '200.010',
    '200.011', '200.012', '200.020',
    '250.001', '275.001',
    '280.001', '280.002',
    '400.001', '400.002', '400.005',
    '900.001', '900.002', '900.003',
)


def _valid_record(**overrides):
    record = {
        'alarm_id': '100.101',
        'type': 'alarm',
        'description': 'Something is wrong.',
        'entity_type_id': 'host',
        'severity': 'major',
        'alarm_type': 'operational-violation',
        'probable_cause': 'threshold-crossed',
        'proposed_repair_action': 'Fix it.',
        'service_affecting': False,
        'suppression': True,
        'mgmt_affecting': 'major',
        'degrade_affecting': 'critical',
        'inhibit_alarms': False,
    }
    record.update(overrides)
    return record


class TestPackagedCatalogue(testtools.TestCase):
    """The shipped events.yaml loads and holds what the services need."""

    def setUp(self):
        super().setUp()
        self.catalogue = catalogue.load()

    def test_contains_required_ids(self):
        missing = set(REQUIRED_IDS) - set(self.catalogue)
        self.assertEqual(set(), missing)

    def test_keys_match_records(self):
        for alarm_id, definition in self.catalogue.items():
            self.assertEqual(alarm_id, definition.alarm_id)
            self.assertIsInstance(definition, catalogue.AlarmDefinition)

    def test_enums_are_valid(self):
        for d in self.catalogue.values():
            self.assertIn(d.type, constants.EVENT_TYPES)
            self.assertIn(d.severity, constants.SEVERITIES)
            self.assertIn(d.severity, d.severities)
            for severity in d.severities:
                self.assertIn(severity, constants.SEVERITIES)
            self.assertIn(d.alarm_type, constants.ALARM_TYPES)
            self.assertIn(d.probable_cause, constants.PROBABLE_CAUSES)
            self.assertIn(d.mgmt_affecting,
                          constants.MGMT_AFFECTING_SEVERITIES)
            self.assertIn(d.degrade_affecting,
                          constants.DEGRADE_AFFECTING_SEVERITIES)
            for flag in (d.service_affecting, d.suppression,
                         d.inhibit_alarms):
                self.assertIsInstance(flag, bool)

    def test_alarms_carry_repair_action(self):
        for d in self.catalogue.values():
            if d.is_alarm:
                self.assertTrue(d.proposed_repair_action, d.alarm_id)

    def test_known_facts(self):
        locked = self.catalogue['200.001']
        self.assertEqual('warning', locked.severity)
        self.assertTrue(locked.inhibit_alarms)
        self.assertEqual('out-of-service', locked.probable_cause)
        cpu = self.catalogue['100.101']
        self.assertEqual(('critical', 'major'), cpu.severities)
        self.assertEqual('subcloud', self.catalogue['280.001'].entity_type_id)
        self.assertEqual('log', self.catalogue['200.020'].type)

    def test_definitions_are_frozen(self):
        definition = self.catalogue['200.001']
        self.assertRaises(AttributeError, setattr, definition, 'severity',
                          'critical')


class TestGet(testtools.TestCase):
    """get() reads the packaged catalogue and rejects unknown IDs."""

    def test_get_known(self):
        self.assertEqual('200.004', catalogue.get('200.004').alarm_id)

    def test_get_is_cached(self):
        self.assertIs(catalogue.get('400.001'), catalogue.get('400.001'))

    def test_get_unknown(self):
        exc = self.assertRaises(catalogue.UnknownAlarmId,
                                catalogue.get, '999.999')
        self.assertIsInstance(exc, KeyError)
        self.assertIn('999.999', str(exc))


class TestMalformedCatalogue(testtools.TestCase):
    """Bad files fail loudly, naming the record and the field at fault."""

    def _load(self, records, raw_text=None):
        fd, path = tempfile.mkstemp(suffix='.yaml')
        self.addCleanup(os.remove, path)
        with os.fdopen(fd, 'w') as stream:
            stream.write(raw_text if raw_text is not None
                         else yaml.safe_dump(records))
        return catalogue.load(path)

    def _assert_error(self, records, *fragments, raw_text=None):
        exc = self.assertRaises(catalogue.CatalogueError,
                                self._load, records, raw_text)
        self.assertIsInstance(exc, ValueError)
        for fragment in fragments:
            self.assertIn(fragment, str(exc))

    def test_valid_file_with_log_record(self):
        # Logs may leave out the alarm-only fields and get defaults.
        log = _valid_record(alarm_id='200.020', type='log')
        for field in ('proposed_repair_action', 'suppression',
                      'mgmt_affecting', 'degrade_affecting',
                      'inhibit_alarms'):
            del log[field]
        loaded = self._load([_valid_record(), log])
        self.assertEqual({'100.101', '200.020'}, set(loaded))
        self.assertEqual('none', loaded['200.020'].mgmt_affecting)
        self.assertFalse(loaded['200.020'].is_alarm)

    def test_missing_field(self):
        record = _valid_record()
        del record['probable_cause']
        self._assert_error([record], 'record 1', "'100.101'",
                           "'probable_cause'", 'missing')

    def test_missing_alarm_only_field(self):
        record = _valid_record()
        del record['suppression']
        self._assert_error([record], "'suppression'", 'missing')

    def test_bad_severity(self):
        self._assert_error(
            [_valid_record(), _valid_record(alarm_id='100.103',
                                            severity='severe')],
            'record 2', "'100.103'", "'severity'", "'severe'")

    def test_bad_severities_list(self):
        self._assert_error(
            [_valid_record(severities=['major', 'bogus'])],
            "'severities'", "'bogus'")

    def test_default_not_in_severities(self):
        self._assert_error(
            [_valid_record(severity='minor', severities=['major'])],
            "'severity'", 'not in severities')

    def test_bad_probable_cause(self):
        self._assert_error([_valid_record(probable_cause='gremlins')],
                           "'probable_cause'", "'gremlins'")

    def test_bad_id_format(self):
        self._assert_error([_valid_record(alarm_id='1001.01')],
                           "'alarm_id'", "'1001.01'", 'NNN.NNN')

    def test_unquoted_id(self):
        # YAML reads an unquoted 100.101 as a float.
        text = yaml.safe_dump([_valid_record()]).replace(
            "'100.101'", '100.101')
        self._assert_error(None, "'alarm_id'", 'quoted string',
                           raw_text=text)

    def test_duplicate_id(self):
        self._assert_error([_valid_record(), _valid_record()],
                           'record 2', "'100.101'", 'duplicate')

    def test_unknown_field(self):
        self._assert_error([_valid_record(severty='major')],
                           "'severty'", 'unknown field')

    def test_non_bool_flag(self):
        self._assert_error([_valid_record(suppression='yes please')],
                           "'suppression'", 'true or false')

    def test_not_a_list(self):
        self._assert_error({'100.101': _valid_record()},
                           'non-empty list of records')
