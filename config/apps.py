"""`config` as an installed app, for two things only: the database roles (MD-2 layer 2) are
switched on in every process, and Django finds the schema commands that run as the owning login
(`config/management/commands/`: migrate, flush, createcachetable; config/db_roles.py says why).
It is the first entry of INSTALLED_APPS: Django takes a command from the earliest app that has
one, and the roles' signal is connected before any other app's `ready` could open a connection.
"""

from django.apps import AppConfig

from config import db_roles


class ConfigAppConfig(AppConfig):
    name = "config"
    verbose_name = "Configuratie"

    def ready(self):
        db_roles.connect_signal()
