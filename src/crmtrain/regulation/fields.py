"""What every part of the regulation's models shares: id and text types, the base model.

Ids and references have one pattern each (docs/regulation-format.md documents them).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# One id pattern for every id (documented in docs/regulation-format.md). No dots: a dot joins
# an owner and its child in a reference (``order-intake.check-stock``), so a dotted id could
# collide with a reference and hide a duplicate.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
ID_MAX = 64
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9][A-Za-z0-9_-]*)?$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX)]
Ref = Annotated[str, StringConstraints(pattern=REF_PATTERN, max_length=2 * ID_MAX + 1)]
Text = Annotated[str, StringConstraints(min_length=1)]


class ShapeError(ValueError):
    """A model's fields do not fit together; ``field`` names the key to point at."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Model(BaseModel):
    """Base: immutable, unknown keys are errors (they are almost always typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False, defer_build=True)


def not_null(schema: dict) -> None:
    """JSON Schema of an optional field: its value's schema alone. The YAML leaves such a key out
    rather than writing null, and an editor then reports a wrong key inside the value, not "no match"."""
    options = [o for o in schema.pop("anyOf", ()) if o != {"type": "null"}]
    if len(options) == 1:
        schema.update(options[0])
    elif options:
        schema["anyOf"] = options
    schema.pop("default", None)


class WordForms(Model):
    """The company's word for one of the CRM's objects, with the forms the language needs.

    Only ``one`` is required; the other forms are made from it by the language's regular
    endings (crmtrain.i18n.words) and may be given where those are wrong.
    """

    one: Text = Field(description="the word: «заявка», 'request'")
    many: str = Field("", description="plural: «заявки», 'requests'")
    gen: str = Field("", description="Russian genitive: «заявки»")
    dat: str = Field("", description="Russian dative: «заявке»")
    acc: str = Field("", description="Russian accusative: «заявку»")
    ins: str = Field("", description="Russian instrumental: «заявкой»")
    prep: str = Field("", description="Russian prepositional: «заявке»")
    many_gen: str = Field("", description="Russian genitive plural: «заявок»")
    many_dat: str = Field("", description="Russian dative plural: «заявкам»")
    many_acc: str = Field("", description="Russian accusative plural: «заявки»")
    many_ins: str = Field("", description="Russian instrumental plural: «заявками»")
    many_prep: str = Field("", description="Russian prepositional plural: «заявках»")
    gender: Literal["m", "f", "n"] | None = Field(
        None, json_schema_extra=not_null,
        description="m, f or n: which adjective forms go with it («новая заявка»)")
