"""MD-2 layer 2 (config/db_roles.py): Django's `migrate`, `flush` and `createcachetable` are
replaced by config's, which run as the owning login and re-apply the roles' grants. `config` must
stay the earliest installed app with such a command, or Django's would run instead."""

import pytest
from django.core.management import get_commands, load_command_class

from config.db_roles import owner_mode


@pytest.mark.parametrize("name", ["migrate", "flush", "createcachetable"])
def test_schema_commands_are_configs_role_aware_ones(name):
    """`manage.py <name>` resolves to config/management/commands/<name>.py, the role-aware one
    (the database layer of the medical separation, config/db_roles.py)."""
    assert get_commands()[name] == "config"
    command = load_command_class("config", name)
    assert "owning login" in command.help
    assert "owner_mode" in command.handle.__code__.co_names
    assert owner_mode.__module__ == "config.db_roles"
