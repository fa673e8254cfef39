"""fm-manager's RPC endpoint: fault queries for fm.client."""

import oslo_messaging as messaging

FAULT_FIELDS = ('uuid', 'alarm_id', 'alarm_state', 'entity_type_id',
                'entity_instance_id', 'timestamp', 'severity', 'reason_text',
                'alarm_type', 'probable_cause', 'proposed_repair_action',
                'service_affecting', 'suppression', 'inhibit_alarms')


def alarm_to_dict(alarm):
    fault = {name: getattr(alarm, name) for name in FAULT_FIELDS}
    fault['timestamp'] = fault['timestamp'].isoformat()
    return fault


class ManagerEndpoint:
    """Version 1.0: get_faults."""

    target = messaging.Target(version='1.0')

    def __init__(self, connection):
        self.connection = connection

    def get_faults(self, context, entity_instance_id=None, alarm_id=None):
        """Active alarms of an entity and/or alarm ID, as dicts."""
        alarms = self.connection.alarms_by_entity(
            entity_instance_id=entity_instance_id, alarm_id=alarm_id)
        return [alarm_to_dict(alarm) for alarm in alarms]
