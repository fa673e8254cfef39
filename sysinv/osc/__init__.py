"""The ``openstack system ...`` plugin of python-openstackclient."""
