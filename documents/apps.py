from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        # The case page shows this app's panel; cases never imports documents.
        from agreements import panels as agreement_panels
        from cases import panels
        from documents import checks  # noqa: F401 - registers the font and Pango checks
        from documents.views import agreement_panel, case_panel

        panels.register(case_panel, area="side")
        agreement_panels.register(agreement_panel)
