"""File storages for tests: one that refuses writes, one that has no local paths (as S3)."""

from django.core.files.storage import FileSystemStorage


class ReadOnlyStorage(FileSystemStorage):
    def _save(self, name, content):
        raise PermissionError(13, "Permission denied", "/srv/qianjiang/private/secret-dir")


class NoPathStorage(FileSystemStorage):
    """Like django-storages' S3 backend: files only through the storage API, no path."""

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")
