from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Organisation and accounts")

    def ready(self) -> None:
        # Registers positions and memberships with auditlog, and the any_of lookup.
        from portal import audit, lookups, stamps  # noqa: F401
        from portal.schedule import schedule_sync

        # Each app declares its reminder sweeps in <app>/reminders.py.
        autodiscover_modules("reminders")
        post_migrate.connect(schedule_sync, sender=self)
        # What most cached aggregates read: the tree, memberships and posts.
        stamps.track("portal_organisation", "portal_membership", "portal_position")
        post_migrate.connect(stamps.install_all, sender=self)
