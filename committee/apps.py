from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Committee tools")

    def ready(self) -> None:
        from portal import stamps

        # The progress table, task list and matrix are cached under these tables' change
        # stamps (committee/caching.py).
        stamps.track("committee_task", "committee_assignment")
