from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        # The case page and the agreement page show this app's panel; cases and
        # agreements never import documents.
        from agreements import panels as agreement_panels
        from cases import extensions
        from documents import checks  # noqa: F401 - registers the font and Pango checks
        from documents.permissions import attachment_classes
        from documents.views import agreement_panel, case_panel

        extensions.register(
            extensions.CaseExtension(
                app="documents",
                panels={"side": (case_panel,)},
                attachment_classes=(attachment_classes,),
            )
        )
        agreement_panels.register(agreement_panel)
