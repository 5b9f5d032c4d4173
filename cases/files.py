"""Files that belong to database rows: written at once, gone again if the row is rolled back.

A file is written while its row is saved, inside the service's transaction, so
the rest of the transaction (and the request) can read it. If that transaction,
or the savepoint the file was written in, rolls back, the row never existed and
the file must not outlive it: ``save_file`` deletes it then.

Django has no rollback hook, but it forgets the ``on_commit`` callbacks of a
savepoint or transaction that rolls back, without running them. So each file
written inside a transaction registers a small callback object: run on commit,
it keeps the file; dropped unrun, it is freed at once (CPython frees an object
when its last reference goes) and, if the transaction did not commit, deletes
the file as it is freed. This follows savepoints exactly as Django does, and it
also covers a rollback of an outer transaction after the service that wrote the
file has returned (a referral whose second upload is refused, say). Outside a
transaction the row is already committed and the file simply stays.

If the process dies mid-transaction the file stays behind;
``manage.py find_orphan_files`` finds such files and removes them.
"""

from __future__ import annotations

import logging

from django.core.files import File
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


class _UncommittedFile:
    """The on_commit callback standing for one file written inside a transaction."""

    def __init__(self, storage: Storage, name: str, using: str) -> None:
        self.storage = storage
        self.name = name
        self.using = using
        self.committed = False

    def __call__(self) -> None:
        self.committed = True

    def __del__(self) -> None:
        if self.committed:
            return
        try:
            connection = connections[self.using]
            # Django also drops the callbacks still pending after the commit when an
            # earlier callback raised; by then autocommit is back on and the row is
            # committed. A rollback drops them inside the transaction (a savepoint) or
            # before autocommit is restored (the whole transaction).
            if connection.autocommit and not connection.in_atomic_block:
                return
            self.storage.delete(self.name)
        except Exception:
            # Never raise from a finaliser; the orphan-file command finds what is left.
            logger.exception("Could not delete %s after its transaction rolled back", self.name)


def delete_on_rollback(storage: Storage, name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete the stored file ``name`` if the current transaction (or savepoint) rolls back."""
    # Created in the call and held only by Django's list of pending callbacks:
    # anything else keeping it alive would let the file outlive a rollback.
    transaction.on_commit(_UncommittedFile(storage, name, using), using=using)


def save_file(field_file: FieldFile, name: str, content: File) -> None:
    """Store ``content`` in the field's storage; the caller saves the row in the same
    transaction. The file is deleted again if that transaction rolls back."""
    field_file.save(name, content, save=False)
    using = router.db_for_write(type(field_file.instance), instance=field_file.instance)
    delete_on_rollback(field_file.storage, field_file.name, using=using)
