"""The API's request parser: django-ninja's JSON parser, refusing control characters.

PostgreSQL text cannot hold a NUL (``\\x00``): psycopg raised on the write or the query, which
was a 500; SQLite stored it silently. The web forms refuse every C0 control character except
tab and line breaks, and DEL (``painpath.apps.errors.refuse_control_characters``); the API
refuses the same set with the same message, naming the field, before any handler runs.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser

from painpath.apps.errors import CONTROL_CHARACTERS, CONTROL_MESSAGE

Loc = tuple[str | int, ...]


class ControlCharacterInBody(ValueError):
    """A string in the JSON body holds a control character; ``loc`` is where (keys, indexes)."""

    def __init__(self, loc: Loc) -> None:
        self.loc = loc
        super().__init__(CONTROL_MESSAGE)


def _control_at(value: Any, loc: Loc = ()) -> Loc | None:
    if isinstance(value, str):
        return loc if CONTROL_CHARACTERS.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if CONTROL_CHARACTERS.search(key):
                return (*loc, key)
            found = _control_at(item, (*loc, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _control_at(item, (*loc, i))
            if found is not None:
                return found
    return None


class BodyNotAnObject(ValueError):
    """Every request body of the API is a JSON object; a bare number, string or list is not
    (django-ninja would otherwise read it as an empty object where every field has a default)."""


class ControlCharacterRefusingParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise BodyNotAnObject("must be a JSON object")
        where = _control_at(data)
        if where is not None:
            # django-ninja turns any parser exception into a 400 "Cannot parse request body";
            # painpath.api.errors finds this one as its cause and names the field.
            raise ControlCharacterInBody(where)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key in data:
            values = [key, *(str(v) for v in data.getlist(key))]
            if any(CONTROL_CHARACTERS.search(v) for v in values):
                raise ValidationError([{"loc": ("query", key), "msg": CONTROL_MESSAGE}])
        return super().parse_querydict(data, list_fields, request)
