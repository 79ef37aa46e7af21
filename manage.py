#!/usr/bin/env python
import os
import sys

DEPLOYMENT_SETTINGS = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # A machine with nothing of a deployment configured is a developer's: run management
    # commands in DEBUG so `python manage.py …` works there as it is. Once any deployment
    # setting is present, a missing SECRET_KEY stays an error (settings refuse to start),
    # and the web server and workers never go through this file.
    if not any(name in os.environ for name in DEPLOYMENT_SETTINGS):
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
