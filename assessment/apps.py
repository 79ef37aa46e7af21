from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from portal import stamps

        # The home page's contest card is cached under this stamp (portal/dashboard.py).
        # Attempts and answers are not stamped: they are written by every answer saved.
        stamps.track("assessment_contest")
        # A member's 述学 results, kept in the study archive's cached body (learning/views.py).
        stamps.track("assessment_shuxuereport", "assessment_shuxueperiod")
