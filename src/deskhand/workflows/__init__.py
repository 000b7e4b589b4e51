"""Workflow files: the Markdown format, the step language, inputs and the lock file.

Import from here; the modules behind it are free to move.
"""

from __future__ import annotations

from deskhand.workflows.actions import (
    Action,
    Choose,
    Click,
    Close,
    ExpectField,
    ExpectText,
    OpenApp,
    OpenUrl,
    Press,
    Read,
    SaveAs,
    SetChecked,
    StepAction,
    SwitchTo,
    Target,
    TypeText,
    WaitFor,
)
from deskhand.workflows.inputs import coerce_inputs, coerce_rows, load_rows, parse_input_pairs, row_label
from deskhand.workflows.interpolate import format_value, interpolate, names_in, secret_names_in
from deskhand.workflows.keys import normalise_chord
from deskhand.workflows.language import parse_step
from deskhand.workflows.lock import (
    LOCK_VERSION,
    Lock,
    LockedAction,
    LockedStep,
    dump_lock,
    lock_path,
    read_lock,
    write_lock,
)
from deskhand.workflows.model import InputSpec, Limits, Step, StepRef, Workflow
from deskhand.workflows.parse import load_workflow, parse_workflow
from deskhand.workflows.sentences import normalise_sentence, sentence_hash
from deskhand.workflows.suggest import closest_form

__all__ = [
    "LOCK_VERSION",
    "Action",
    "Choose",
    "Click",
    "Close",
    "ExpectField",
    "ExpectText",
    "InputSpec",
    "Limits",
    "Lock",
    "LockedAction",
    "LockedStep",
    "OpenApp",
    "OpenUrl",
    "Press",
    "Read",
    "SaveAs",
    "SetChecked",
    "Step",
    "StepAction",
    "StepRef",
    "SwitchTo",
    "Target",
    "TypeText",
    "WaitFor",
    "Workflow",
    "closest_form",
    "coerce_inputs",
    "coerce_rows",
    "dump_lock",
    "format_value",
    "interpolate",
    "load_rows",
    "load_workflow",
    "lock_path",
    "names_in",
    "normalise_chord",
    "normalise_sentence",
    "parse_input_pairs",
    "parse_step",
    "parse_workflow",
    "read_lock",
    "row_label",
    "secret_names_in",
    "sentence_hash",
    "write_lock",
]
