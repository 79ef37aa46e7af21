from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and organisational life")

    def ready(self) -> None:
        from portal import stamps

        # What the committee's compliance overview reads besides the tree.
        stamps.track(
            "meetings_meeting",
            "meetings_attendance",
            "meetings_complianceexemption",
            "meetings_compliancerule",
        )
