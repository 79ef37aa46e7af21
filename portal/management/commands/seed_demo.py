from typing import Any

from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo organisation, members and logins (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['organisations']} organisations, "
                f"{counts['members']} members. Logins admin, committee, secretary, member, "
                f"outsider; password {DEMO_PASSWORD}"
            )
        )
