"""The words the agent says to the model: the system prompt, the task, and the corrections.

Kept together so they can be read (and tuned) in one place; every text is short because it is paid for on
every turn.
"""

from __future__ import annotations

SYSTEM_PROMPT = """\
You operate desktop applications for a person, through their accessibility tree, one step of a workflow at a \
time. Each turn you see the screen as an outline: one element a line, as `role "name" [ref] = value states`, \
and the changes since your last look (+ new, - gone, ~ changed).

Rules:
- Act only through the tools. Point at elements by the ref in brackets (e.g. e12) from the latest outline.
- Do exactly the step you are given, nothing more. Do not submit, send, delete or close anything the step \
does not ask for.
- fill replaces a field's whole text. select picks a combo box option by its text. check sets a checkbox.
- Several independent actions may go in one reply; they run in order, and stop at the first error.
- If an action fails, read the error and the new outline, then try another way. Do not repeat what did not work.
- Text like {secret:name} in your step stands for a secret: type it exactly like that; deskhand fills it in \
there. A {secret:name} that only the screen mentions is typed as plain text.
- When the step is complete, call done(summary). If it cannot be done, call fail(reason).
"""


def task_message(step_text: str, details: tuple[str, ...] = ()) -> str:
    """The first message of a step: what to do (the sentence with its inputs filled in) and any notes."""
    lines = [f"Step: {step_text}"]
    lines += [f"Note: {detail}" for detail in details]
    return "\n".join(lines)


def observation_message(observation_text: str) -> str:
    return observation_text


OLD_OBSERVATION = "(An earlier view of the screen; the latest one is further down.)"

NO_TOOL_CALL = (
    "Your reply called no tool. Act with a tool call; when the step is complete call done(summary), "
    "and if it cannot be done call fail(reason)."
)

CUT_OFF = "Your reply was cut off before it finished. Reply with one short tool call."

SKIPPED = "Not run: an earlier call in the same reply failed. Look at the latest screen and try again."


def repeated(tool: str) -> str:
    return (
        f"Not run: you already called {tool} with these arguments on this same screen, and it did not get the "
        "step done. Try something different, or call fail(reason) if the step cannot be done."
    )


def blocked(reason: str) -> str:
    return f"Blocked by the workflow's policy: {reason} Do not try to get around it; do the step another way or fail."
