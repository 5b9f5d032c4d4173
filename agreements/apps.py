from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "调解协议与司法确认"

    def ready(self) -> None:
        # The case workflow asks this app whether a case in the agreement stage
        # may be closed, re-mediated or terminated, and the case page shows
        # this app's panel; cases never imports agreements.
        from agreements import hooks

        hooks.register()
