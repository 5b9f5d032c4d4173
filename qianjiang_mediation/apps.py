from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "qianjiang_mediation"
    verbose_name = "项目"
