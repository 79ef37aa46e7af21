from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Study")

    def ready(self) -> None:
        from learning.selectors import STAMPED
        from portal import stamps

        # A committee's counts of study plans are cached under these (learning/counting.py),
        # the home page's study cards (portal/dashboard.py) and the bodies of the lists, the
        # study page and the archive (learning/views.py, portal/fragments.py).
        stamps.track("learning_studyplan", "learning_studylog", "learning_reflection", *STAMPED)
