import time
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, seed_demo

PROJECT_APPS = ("meetings", "learning", "assessment", "committee", "scorecards")


def app_modules(name: str) -> list[Any]:
    """``<app>.<name>`` of every feature app that has one, in a fixed order."""
    found = []
    for app in PROJECT_APPS:
        try:
            found.append(import_module(f"{app}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{name}":
                raise
    return found


class Command(BaseCommand):
    help = "Load demo data (safe to run again). --scale province loads a provincial system for benchmarks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=["demo", "province"], default="demo")
        parser.add_argument("--branches", type=int, default=1000)
        parser.add_argument("--members", type=int, default=50000)

    def handle(self, *args: Any, scale: str, branches: int, members: int, **options: Any) -> None:
        if scale == "province":
            self.province(branches, members)
            return
        counts = seed_demo()
        for module in app_modules("demo"):
            module.seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['organisations']} organisations, "
                f"{counts['members']} members. Logins admin, committee, secretary, member, "
                f"outsider; password {DEMO_PASSWORD}"
            )
        )

    def province(self, branches: int, members: int) -> None:
        from portal.scale import seed_province

        started = time.monotonic()
        try:
            context = seed_province(branches=branches, members=members)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"portal: {len(context.branch_ids)} branches, {len(context.members)} members "
            f"in {time.monotonic() - started:.1f} s"
        )
        for module in app_modules("scale"):
            step = time.monotonic()
            summary = module.seed_province(context)
            self.stdout.write(f"{module.__name__}: {summary} in {time.monotonic() - step:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"Province data ready in {time.monotonic() - started:.1f} s.")
        )
