"""System checks of the project's own settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from qianjiang_mediation import file_storage


@checks.register(checks.Tags.compatibility)
def s3_file_storage(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """DJANGO_FILE_STORAGE=s3 needs django-storages with boto3, and a bucket per storage."""
    if settings.FILE_STORAGE != file_storage.S3:
        return []
    problems: list[checks.CheckMessage] = []
    missing = file_storage.missing_s3_packages()
    if missing:
        problems.append(
            checks.Error(
                f"DJANGO_FILE_STORAGE=s3，但未安装 {'、'.join(missing)}：无法保存或读取任何上传文件和文书。",
                hint="安装可选依赖：uv sync --frozen --inexact --extra s3（见 README 的“配置”一节）。",
                id="qianjiang_mediation.E001",
            )
        )
    places = []
    for alias in ("default", "private"):
        options = settings.STORAGES[alias].get("OPTIONS", {})
        if not options.get("bucket_name"):
            problems.append(
                checks.Error(
                    f"DJANGO_FILE_STORAGE=s3，但存储“{alias}”没有指定存储桶。",
                    hint="设置 DJANGO_S3_BUCKET（两个存储共用，以前缀区分），"
                    "或分别设置 DJANGO_S3_MEDIA_BUCKET 和 DJANGO_S3_PRIVATE_BUCKET。",
                    id="qianjiang_mediation.E002",
                )
            )
        places.append((options.get("bucket_name"), options.get("location", "")))
    if places[0] == places[1]:
        problems.append(
            checks.Error(
                "存储“default”和“private”指向同一存储桶的同一前缀，案件材料会与其他文件混在一起。",
                hint="为两者设置不同的 DJANGO_S3_MEDIA_PREFIX 和 DJANGO_S3_PRIVATE_PREFIX，或不同的存储桶。",
                id="qianjiang_mediation.E003",
            )
        )
    return problems
