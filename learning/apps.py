from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Study")

    def ready(self) -> None:
        from portal import stamps

        # A committee's counts of study plans are cached under it (learning/counting.py).
        stamps.track("learning_studyplan")
