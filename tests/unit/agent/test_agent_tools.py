"""The tool registry and the ToolBox on the fake backend: schemas, acting, recording, errors as text."""

from __future__ import annotations

import pytest
from agent_forms import form

from deskhand.agent.tools import TOOL_NAMES, ToolBox, element_fingerprint, tool_specs
from deskhand.backends.fake import FakeBackend
from deskhand.errors import PolicyDenied
from deskhand.locate.desktop import Desktop
from deskhand.runner.steps import fingerprint
from deskhand.tree.selector import Selector
from deskhand.tree.snapshot import RefTable, render

WANTED = ("click", "fill", "select", "check", "press", "scroll", "read", "open_app", "wait_for", "screenshot")


def box_for(desktop: Desktop, **options: object) -> tuple[ToolBox, RefTable]:
    refs = RefTable()
    render(desktop.snapshot("crm"), refs)  # hands out the refs the model would see
    return ToolBox(desktop, refs, app="crm", timeout=0.2, **options), refs  # type: ignore[arg-type]


def ref(refs: RefTable, backend_ref: str) -> str:
    short = refs.lookup(backend_ref)
    assert short is not None
    return short


def test_registry_has_every_tool_with_a_strict_schema() -> None:
    specs = {spec.name: spec for spec in tool_specs()}
    assert {*WANTED, "done", "fail", "ask_user"} == set(specs) == set(TOOL_NAMES)
    fill = specs["fill"].parameters
    assert fill["required"] == ["ref", "text"]
    assert fill["additionalProperties"] is False
    assert "title" not in fill and "title" not in fill["properties"]["ref"]
    assert specs["scroll"].parameters["properties"]["direction"]["enum"] == ["up", "down", "left", "right"]


def test_fill_acts_reads_back_and_records_a_replayable_selector(desktop: Desktop, backend: FakeBackend) -> None:
    box, refs = box_for(desktop)
    result = box.call("fill", {"ref": ref(refs, "name"), "text": "Ada"})
    assert not result.is_error, result.text
    assert backend.refresh("name").value == "Ada"
    assert 'reads "Ada"' in result.text
    (action,) = box.actions
    assert (action.kind, action.selector, action.value) == ("type_text", 'role=textbox[name="Name"][exact]', "Ada")
    assert action.fingerprint["app"] == "crm" and action.fingerprint["name"] == "Name"


@pytest.mark.parametrize(
    ("backend_ref", "selector"),
    [
        ("mail", 'role=textbox[label="Email"][exact]'),
        ("extra2", "role=textbox >> nth=3"),
        ("ok", 'role=button[name="OK"][exact]'),
    ],
)
def test_selector_falls_back_from_name_to_label_to_position(desktop: Desktop, backend_ref: str, selector: str) -> None:
    box, refs = box_for(desktop)
    box.call("click", {"ref": ref(refs, backend_ref)})
    assert box.actions[-1].selector == selector
    (found,) = desktop.app("crm").locator(Selector.parse(selector)).resolve_all()
    assert found.ref == backend_ref


def test_select_check_press_scroll_record_the_lock_kinds(desktop: Desktop, backend: FakeBackend) -> None:
    box, refs = box_for(desktop)
    assert not box.call("select", {"ref": ref(refs, "plan"), "option": "Pro"}).is_error
    assert not box.call("check", {"ref": ref(refs, "sub"), "on": True}).is_error
    assert not box.call("press", {"keys": "Tab"}).is_error
    assert not box.call("scroll", {"ref": ref(refs, "win"), "direction": "down"}).is_error
    assert [(a.kind, a.value) for a in box.actions] == [
        ("choose", "Pro"),
        ("set_checked", "on"),
        ("press", "Tab"),
        ("scroll", "down"),
    ]
    assert backend.refresh("sub").has("checked")
    assert box.actions[2].selector is None


def test_fingerprint_is_the_step_runners(desktop: Desktop) -> None:
    resolved = desktop.app("crm").get_by_role("button", name="OK").resolve()
    assert element_fingerprint(resolved) == fingerprint(resolved)


def test_looking_is_not_recorded(desktop: Desktop) -> None:
    box, refs = box_for(desktop)
    read = box.call("read", {"ref": ref(refs, "ok")})
    assert read.text == f'{ref(refs, "ok")} reads "OK".'
    shot = box.call("screenshot", {})
    assert shot.image_png is not None and shot.image_png.startswith(b"\x89PNG")
    assert not box.call("wait_for", {"text": "Subscribe", "timeout": 0.1}).is_error
    missing = box.call("wait_for", {"text": "Thank you", "timeout": 0.05})
    assert missing.is_error and not missing.malformed and "did not appear" in missing.text
    assert box.actions == []


@pytest.mark.parametrize(
    ("name", "arguments", "says"),
    [
        ("tap", {"ref": "e1"}, "There is no tool named 'tap'"),
        ("fill", {"ref": "e1"}, "'text' is required"),
        ("fill", {"ref": "e1", "text": "x", "speed": 2}, "'speed' is not an argument"),
        ("check", {"ref": "e1", "on": "sometimes"}, "'on'"),
        ("click", {"ref": "e999"}, "No element has the ref 'e999'"),
    ],
)
def test_malformed_calls_come_back_as_text(
    desktop: Desktop, name: str, arguments: dict[str, object], says: str
) -> None:
    box, _ = box_for(desktop)
    result = box.call(name, arguments)
    assert result.is_error and result.malformed
    assert says in result.text
    assert box.actions == []


def test_a_vanished_element_is_an_error_not_a_malformed_call(desktop: Desktop, backend: FakeBackend) -> None:
    box, refs = box_for(desktop)
    short = ref(refs, "ok")
    backend.remove("ok")
    result = box.call("click", {"ref": short})
    assert result.is_error and not result.malformed
    assert "no longer on screen" in result.text


def test_secrets_are_typed_but_never_echoed_or_recorded(desktop: Desktop, backend: FakeBackend) -> None:
    box, refs = box_for(desktop, expand_text=lambda text: text.replace("{secret:pw}", "hunter2"))
    result = box.call("fill", {"ref": ref(refs, "name"), "text": "{secret:pw}"})
    assert backend.refresh("name").value == "hunter2"
    assert "hunter2" not in result.text
    assert box.actions[0].value == "{secret:pw}"


def test_open_app_ask_user_done_and_fail(desktop: Desktop) -> None:
    box, _ = box_for(desktop)
    assert box.call("open_app", {"name": "notes"}).is_error
    assert "Nobody can answer" in box.call("ask_user", {"question": "Which plan?"}).text
    opened: list[str] = []
    box, _ = box_for(desktop, open_app=lambda name: opened.append(name) or "notes", ask_user=lambda q: "Pro")
    assert not box.call("open_app", {"name": "Notes"}).is_error
    assert (opened, box.current_app) == (["Notes"], "notes")
    assert box.actions[-1].kind == "open_app" and box.actions[-1].value == "Notes"
    assert box.call("ask_user", {"question": "Which plan?"}).text == "The user answered: Pro"
    done = box.call("done", {"summary": "Filled it."}).finish
    failed = box.call("fail", {"reason": "No form."}).finish
    assert done is not None and (done.status, done.text) == ("done", "Filled it.")
    assert failed is not None and failed.status == "failed"


class GuardedBackend(FakeBackend):
    """A backend whose guard denies clicks, as the policy guard beneath the locators would."""

    def click(self, ref: str, *, button: str = "left", count: int = 1) -> None:  # type: ignore[override]
        raise PolicyDenied("Clicking is not allowed in this workflow.", hint="Add the app to apps:.")


def test_policy_errors_reach_the_model_as_text() -> None:
    desktop = Desktop(GuardedBackend({"crm": form()}), timeout=0.2)
    box, refs = box_for(desktop)
    result = box.call("click", {"ref": ref(refs, "ok")})
    assert result.is_error and isinstance(result.error, PolicyDenied)
    assert "not allowed" in result.text
    assert box.actions == []
