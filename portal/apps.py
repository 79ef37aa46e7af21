from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

USER_SHOWN_COLUMNS = (
    "name",
    "username",
    "first_name",
    "last_name",
    "email",
    "gender",
    "birth_date",
    "phone",
    "employee_number",
    "is_active",
    "is_staff",
    "is_superuser",
)


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
        # People as cached page parts show them (portal/fragments.py): not a login's
        # last_login, a password, or the unread-notification counter.
        stamps.track("portal_user", columns=USER_SHOWN_COLUMNS)
        post_migrate.connect(stamps.install_all, sender=self)
