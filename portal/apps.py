from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Organisation and accounts")

    def ready(self) -> None:
        import portal.audit  # noqa: F401 - registers positions and memberships with auditlog
        from portal.schedule import schedule_sync

        # Each app declares its reminder sweeps in <app>/reminders.py.
        autodiscover_modules("reminders")
        post_migrate.connect(schedule_sync, sender=self)
