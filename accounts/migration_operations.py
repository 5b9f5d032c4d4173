"""Migration operations of our own, for the migrations of every app.

`AlterFieldText` is `AlterField` for a change the database does not see: a field's
help_text, verbose_name, choices or validators. Django's `AlterField` re-renders the
model and every model related to it after each such change; on a model with as many
relations as `Case` that made a migration of a hundred help texts take over ten seconds
and every test database seconds longer to build. Here the field is replaced in the
migration state and nothing is rendered again. A field whose change the database does
see (a column, a type, a default, a relation's target or related_name) takes
`AlterField`'s own way, so using this class where it is not needed is harmless.
"""

from __future__ import annotations

from django.db import migrations
from django.db.models import Field

# What a field may change without the database or any other model noticing.
TEXT_ATTRIBUTES = frozenset(
    {"help_text", "verbose_name", "choices", "validators", "error_messages", "blank"}
)


def _database_signature(field: Field) -> tuple:
    _name, path, args, kwargs = field.deconstruct()
    kept = {key: value for key, value in kwargs.items() if key not in TEXT_ATTRIBUTES}
    return path, tuple(args), sorted(kept.items(), key=lambda item: item[0])


class AlterFieldText(migrations.AlterField):
    """An AlterField that changes only what forms and the admin show."""

    def _text_only(self, app_label: str, state) -> bool:
        model_state = state.models[app_label, self.model_name_lower]
        old = model_state.fields.get(self.name)
        return (
            old is not None
            and self.preserve_default
            and _database_signature(old) == _database_signature(self.field)
        )

    def state_forwards(self, app_label, state):
        if not self._text_only(app_label, state):
            super().state_forwards(app_label, state)
            return
        # The rendered models (if any) keep the old text until their next reload; no
        # operation and no data migration reads a help text.
        state.models[app_label, self.model_name_lower].fields[self.name] = self.field

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._text_only(app_label, from_state):
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._text_only(app_label, to_state):
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)
