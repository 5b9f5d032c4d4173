"""File storages for tests: one that refuses writes, one that has no local paths (as S3)."""

import sys

from django.core.files.storage import FileSystemStorage
from django.core.files.storage import filesystem as filesystem_module


class ReadOnlyStorage(FileSystemStorage):
    def _save(self, name, content):
        raise PermissionError(13, "Permission denied", "/srv/qianjiang/private/secret-dir")


class NoPathStorage(FileSystemStorage):
    """Like django-storages' S3 backend to its users: files only through the storage API.
    ``path()`` works only for FileSystemStorage's own methods, which store the bytes."""

    def path(self, name):
        if sys._getframe(1).f_code.co_filename != filesystem_module.__file__:
            raise NotImplementedError("This backend doesn't support absolute paths.")
        return super().path(name)
