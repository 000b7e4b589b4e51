from __future__ import annotations

from datetime import date

import pytest

from deskhand.errors import WorkflowError
from deskhand.workflows import interpolate, names_in, secret_names_in


def test_names_are_replaced_and_formatted() -> None:
    values = {"name": "Ada", "seats": 3, "start": date(2025, 3, 31), "ok": True, "note": None}
    text = interpolate("{name}/{seats}/{start}/{ok}/{note}.", values)
    assert text == "Ada/3/2025-03-31/true/."


def test_double_braces_escape_and_stray_braces_stay() -> None:
    assert interpolate("{{name}} is {name}; {} {1} {not a name} }}", {"name": "x"}) == (
        "{name} is x; {} {1} {not a name} }"
    )


def test_secrets_stay_templates_or_are_masked() -> None:
    template = "pw={secret:crm_password} user={user}"
    assert interpolate(template, {"user": "u"}) == "pw={secret:crm_password} user=u"
    masked = interpolate(template, {"user": "u"}, secrets_as="mask")
    assert "crm_password" not in masked and masked.endswith("user=u")


def test_unknown_name_says_where_to_declare_it() -> None:
    with pytest.raises(WorkflowError) as caught:
        interpolate("Hi {who}", {"name": "Ada"})
    assert "{who}" in caught.value.message and "name" in caught.value.message
    assert "inputs:" in caught.value.hint and "{{who}}" in caught.value.hint


def test_names_in_lists_each_name_once_without_secrets() -> None:
    assert names_in("{a} {b} {a} {secret:c} {{d}}") == ("a", "b")
    assert secret_names_in("{secret:c} {secret:c} {a}") == ("c",)
