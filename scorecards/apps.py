from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The top navigation entry in templates/base.html; marked here so this app's catalogue has it.
NAV_LABEL = _("Study scorecards")


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards and evaluation reports")

    def ready(self) -> None:
        from portal import stamps

        # The committee's table is cached under this stamp (scorecards/selectors.py
        # TABLE_TABLES); written by builds, reviews and confirmations, not per request.
        stamps.track("scorecards_scorecard")
