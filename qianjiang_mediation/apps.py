from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "qianjiang_mediation"
    verbose_name = "项目"

    def ready(self) -> None:
        from qianjiang_mediation import checks  # noqa: F401 - registers the system checks
