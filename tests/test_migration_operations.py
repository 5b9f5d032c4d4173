"""AlterFieldText changes the migration state as AlterField does, without touching the
database for a text, and takes AlterField's own way for anything the database sees."""

from __future__ import annotations

from django.db import migrations, models
from django.db.migrations.state import ModelState, ProjectState

from accounts.migration_operations import AlterFieldText


class _RefusingEditor:
    connection = None

    def __getattr__(self, name):
        raise AssertionError(f"the database was asked to {name}")


def _state() -> ProjectState:
    state = ProjectState()
    state.add_model(
        ModelState(
            "notes",
            "Note",
            [
                ("id", models.AutoField(primary_key=True)),
                ("title", models.CharField(max_length=20, help_text="旧说明")),
            ],
        )
    )
    return state


def test_a_new_help_text_is_in_the_state_and_the_database_is_not_touched():
    state = _state()
    before = state.clone()
    operation = AlterFieldText("note", "title", models.CharField(max_length=20, help_text="新说明"))
    operation.state_forwards("notes", state)
    assert state.models["notes", "note"].fields["title"].help_text == "新说明"
    # What makemigrations compares: the same state AlterField gives.
    expected = before.clone()
    migrations.AlterField(
        "note", "title", models.CharField(max_length=20, help_text="新说明")
    ).state_forwards("notes", expected)
    assert (
        state.models["notes", "note"].fields["title"].deconstruct()
        == expected.models["notes", "note"].fields["title"].deconstruct()
    )
    editor = _RefusingEditor()
    operation.database_forwards("notes", editor, before, state)
    operation.database_backwards("notes", editor, state, before)


def test_a_change_the_database_sees_takes_alter_fields_way():
    state = _state()
    before = state.clone()
    operation = AlterFieldText("note", "title", models.CharField(max_length=40))
    assert not operation._text_only("notes", before)
    operation.state_forwards("notes", state)
    assert state.models["notes", "note"].fields["title"].max_length == 40
    # Backwards compares with the state before, so the change is undone too.
    assert not operation._text_only("notes", before)
