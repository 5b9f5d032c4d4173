from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件与基础数据"
