#!/usr/bin/env python
"""Django's command line. On a developer machine without DATABASE_URL the commands that need the
database start the embedded PostgreSQL first (config/embedded_db.py); the settings never do."""

import os
import sys

from django.core.management import execute_from_command_line

from config import embedded_db

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    embedded_db.start_for_command(sys.argv, os.environ)
    execute_from_command_line(sys.argv)
