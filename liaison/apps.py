from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = "府院联动"

    def ready(self) -> None:
        # The case page shows the lawsuit that followed a mediation (cases.extensions);
        # cases never imports liaison.
        from liaison import checks, hooks  # noqa: F401 - checks registers the settings check

        hooks.register()
