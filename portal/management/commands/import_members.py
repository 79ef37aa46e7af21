from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portal.roster import RosterImportError, roster_import


class Command(BaseCommand):
    help = "Import members from a roster .xlsx (姓名, 性别, 出生日期, 入党日期, 党员类别, 所在支部, 党小组, 职务, 部门, 手机). All rows or none."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open("rb") as handle:
            try:
                result = roster_import(file=handle)
            except RosterImportError as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(f"{len(exc.errors)} problem(s); nothing was imported.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} new and updated {result.updated} members; "
                f"{result.positions} positions added."
            )
        )
