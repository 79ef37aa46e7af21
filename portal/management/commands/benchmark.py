from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portal.bench import BENCHMARKS
from portal.management.commands.seed_demo import PROJECT_APPS


class Command(BaseCommand):
    help = (
        "Run the benchmarks against this database (load it with seed_demo --scale province) "
        "and print a table. They write to the database (reminders, scorecards) and empty the "
        "configured cache (the cold page timings): a benchmark database only, never a live one."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--only", action="append", help="run only benchmarks whose name contains this"
        )

    def handle(self, *args: Any, only: list[str] | None, **options: Any) -> None:
        for app in ("portal", *PROJECT_APPS):
            try:
                import_module(f"{app}.benchmarks")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.benchmarks":
                    raise
        chosen = [b for b in BENCHMARKS.values() if not only or any(o in b.name for o in only)]
        if not chosen:
            raise CommandError("No benchmark matches.")
        rows = []
        for bench in chosen:
            self.stderr.write(f"running: {bench.name} …")
            figures = bench.function()
            rows.append((bench.name, bench.target, figures))
        width = max(len(name) for name, _t, _f in rows)
        self.stdout.write(f"{'benchmark'.ljust(width)}  {'target':<12}  figures")
        for name, target, figures in rows:
            shown = ", ".join(f"{k}: {v}" for k, v in figures.items())
            self.stdout.write(f"{name.ljust(width)}  {target:<12}  {shown}")
