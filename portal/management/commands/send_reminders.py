import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.notifications import SWEEPS, sweeps_run


class Command(BaseCommand):
    help = "Run the reminder sweeps now and print what would be (--dry-run) or was sent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="write nothing, only print")
        parser.add_argument("--date", help="run as if today were this date (YYYY-MM-DD)")
        parser.add_argument("--kind", action="append", help="only this sweep (repeatable)")

    def handle(
        self, *args: Any, dry_run: bool, date: str | None, kind: list[str] | None, **options: Any
    ) -> None:
        on = timezone.localdate()
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must look like 2026-11-28, not {date!r}") from exc
        unknown = set(kind or []) - set(SWEEPS)
        if unknown:
            raise CommandError(
                f"Unknown sweep(s): {', '.join(sorted(unknown))}. Known: {', '.join(sorted(SWEEPS))}"
            )
        results = sweeps_run(on=on, kinds=kind, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        total = 0
        for name, reminders in results.items():
            self.stdout.write(f"{name}: {verb} {len(reminders)}")
            for reminder in reminders[:20]:
                title, _body = reminder.message.render("zh-hans")
                self.stdout.write(f"  → user {reminder.recipient_id}: {title}")
            if len(reminders) > 20:
                self.stdout.write(f"  … and {len(reminders) - 20} more")
            total += len(reminders)
        self.stdout.write(self.style.SUCCESS(f"{total} notification(s) {verb} for {on:%Y-%m-%d}."))
