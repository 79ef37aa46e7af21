#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # A machine without a production secret is a developer's: run management commands in
    # DEBUG so `python manage.py …` works there as it is. A deployment sets SECRET_KEY and
    # so keeps DEBUG off (the web server and workers never go through this file).
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
