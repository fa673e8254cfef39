"""Alarm catalogue: every alarm and log ID the suite may raise.

The definitions live in ``events.yaml`` beside this module so that the
services raising alarms, the API and the docs share one source of truth.
Loading validates every record, so a typo in an ID or an enum value fails
at start-up instead of when the alarm first fires.
"""

import dataclasses
import functools
import pathlib
import re

import yaml

from fm import constants

DEFAULT_PATH = pathlib.Path(__file__).with_name('events.yaml')

_ID_RE = re.compile(r'^\d{3}\.\d{3}$')
_ENTITY_RE = re.compile(r'^[a-z0-9_-]+(\.[a-z0-9_-]+)*$')

# Keys every record needs, and the extra keys an alarm (not a log) needs.
_COMMON_FIELDS = ('alarm_id', 'type', 'description', 'entity_type_id',
                  'severity', 'alarm_type', 'probable_cause',
                  'service_affecting')
_ALARM_FIELDS = ('proposed_repair_action', 'suppression', 'mgmt_affecting',
                 'degrade_affecting', 'inhibit_alarms')
_KNOWN_FIELDS = frozenset(_COMMON_FIELDS + _ALARM_FIELDS + ('severities',))

_TEXT_FIELDS = ('description', 'entity_type_id', 'proposed_repair_action')
_BOOL_FIELDS = ('service_affecting', 'suppression', 'inhibit_alarms')
_CHOICE_FIELDS = {
    'type': constants.EVENT_TYPES,
    'severity': constants.SEVERITIES,
    'alarm_type': constants.ALARM_TYPES,
    'probable_cause': constants.PROBABLE_CAUSES,
    'mgmt_affecting': constants.MGMT_AFFECTING_SEVERITIES,
    'degrade_affecting': constants.DEGRADE_AFFECTING_SEVERITIES,
}


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names record and field."""


class UnknownAlarmId(KeyError):
    """An alarm ID was looked up that the catalogue does not define."""

    def __init__(self, alarm_id):
        super().__init__(alarm_id)
        self.alarm_id = alarm_id

    def __str__(self):
        return 'alarm ID %r is not in the catalogue' % (self.alarm_id,)


@dataclasses.dataclass(frozen=True)
class AlarmDefinition:
    """Static facts about one alarm or log ID (not a raised instance)."""

    alarm_id: str
    type: str
    description: str
    entity_type_id: str
    severity: str
    severities: tuple
    alarm_type: str
    probable_cause: str
    service_affecting: bool
    # Alarm-only; logs keep these defaults.
    proposed_repair_action: str = ''
    suppression: bool = False
    mgmt_affecting: str = 'none'
    degrade_affecting: str = 'none'
    inhibit_alarms: bool = False

    @property
    def is_alarm(self):
        return self.type == 'alarm'


def _parse_record(path, number, raw):
    """Validate one YAML record and turn it into an AlarmDefinition."""
    where = '%s: record %d' % (path, number)
    if not isinstance(raw, dict):
        raise CatalogueError('%s: expected a mapping, got %s'
                             % (where, type(raw).__name__))
    if isinstance(raw.get('alarm_id'), str):
        where += ' (alarm_id %r)' % raw['alarm_id']

    def fail(field, problem):
        raise CatalogueError("%s: field '%s': %s" % (where, field, problem))

    for key in raw:
        if key not in _KNOWN_FIELDS:
            fail(key, 'unknown field')

    # Check the ID and type first: the type decides which fields are needed.
    for field in ('alarm_id', 'type'):
        if field not in raw:
            fail(field, 'missing required field')
    alarm_id = raw['alarm_id']
    if not isinstance(alarm_id, str):
        fail('alarm_id', "must be a quoted string such as '100.101', got %s"
             % type(alarm_id).__name__)
    if not _ID_RE.match(alarm_id):
        fail('alarm_id', 'bad format %r, expected NNN.NNN' % alarm_id)
    if raw['type'] not in constants.EVENT_TYPES:
        fail('type', '%r is not one of %s'
             % (raw['type'], ', '.join(constants.EVENT_TYPES)))

    required = _COMMON_FIELDS + (
        _ALARM_FIELDS if raw['type'] == 'alarm' else ())
    for field in required:
        if field not in raw:
            fail(field, 'missing required field')

    for field in _TEXT_FIELDS:
        if field in raw and not (isinstance(raw[field], str)
                                 and raw[field].strip()):
            fail(field, 'must be a non-empty string')
    for field in _BOOL_FIELDS:
        if field in raw and not isinstance(raw[field], bool):
            fail(field, 'must be true or false, got %r' % (raw[field],))
    for field, allowed in _CHOICE_FIELDS.items():
        if field in raw and raw[field] not in allowed:
            fail(field, '%r is not one of %s'
                 % (raw[field], ', '.join(allowed)))
    if not _ENTITY_RE.match(raw['entity_type_id']):
        fail('entity_type_id', 'bad format %r, expected dotted names such '
             'as host.process' % raw['entity_type_id'])

    severities = raw.get('severities', [raw['severity']])
    if not isinstance(severities, list) or not severities:
        fail('severities', 'must be a non-empty list')
    for severity in severities:
        if severity not in constants.SEVERITIES:
            fail('severities', '%r is not one of %s'
                 % (severity, ', '.join(constants.SEVERITIES)))
    if len(set(severities)) != len(severities):
        fail('severities', 'lists a severity more than once')
    if raw['severity'] not in severities:
        fail('severity', 'default %r is not in severities %s'
             % (raw['severity'], severities))

    fields = {key: value for key, value in raw.items() if key != 'severities'}
    return AlarmDefinition(severities=tuple(severities), **fields)


def load(path=None) -> dict[str, AlarmDefinition]:
    """Read and validate a catalogue file; default is the packaged one.

    Raises CatalogueError for any malformed content. A missing or
    unreadable file raises the usual OSError.
    """
    path = DEFAULT_PATH if path is None else pathlib.Path(path)
    with open(path, encoding='utf-8') as stream:
        try:
            data = yaml.safe_load(stream)
        except yaml.YAMLError as exc:
            raise CatalogueError('%s: not valid YAML: %s' % (path, exc))
    if not isinstance(data, list) or not data:
        raise CatalogueError('%s: expected a non-empty list of records'
                             % path)

    catalogue = {}
    for number, raw in enumerate(data, start=1):
        definition = _parse_record(path, number, raw)
        if definition.alarm_id in catalogue:
            raise CatalogueError(
                "%s: record %d (alarm_id %r): field 'alarm_id': duplicate "
                "alarm_id" % (path, number, definition.alarm_id))
        catalogue[definition.alarm_id] = definition
    return catalogue


@functools.lru_cache(maxsize=None)
def _default_catalogue():
    return load()


def get(alarm_id) -> AlarmDefinition:
    """Return the packaged definition of alarm_id (loaded once, then cached).

    Raises UnknownAlarmId if the ID is not catalogued.
    """
    try:
        return _default_catalogue()[alarm_id]
    except KeyError:
        raise UnknownAlarmId(alarm_id) from None
