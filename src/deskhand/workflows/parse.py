"""Reading a workflow file: front matter, steps, and the checks that tie them together."""

from __future__ import annotations

import difflib
from pathlib import Path
from types import MappingProxyType

from deskhand.errors import WorkflowError
from deskhand.workflows.actions import READS, ChooseFile
from deskhand.workflows.body import RawStep, read_steps
from deskhand.workflows.frontmatter import load_front_matter, split_file
from deskhand.workflows.interpolate import names_in, secret_names_in
from deskhand.workflows.language import parse_step
from deskhand.workflows.model import Step, StepRef, Workflow
from deskhand.workflows.schema import Header, read_header
from deskhand.workflows.suggest import closest_form


def load_workflow(path: str | Path, *, allow_free_form: bool = True) -> Workflow:
    """Read and check the workflow file at ``path``."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorkflowError(
            f"No workflow file at {str(file)!r}.", file=str(file), hint="Check the path (and the .md suffix)."
        ) from None
    except UnicodeDecodeError as error:
        raise WorkflowError(
            f"The workflow file is not UTF-8 text ({error.reason} at byte {error.start}).",
            file=str(file),
            hint="Save the file as UTF-8.",
        ) from None
    except OSError as error:
        raise WorkflowError(
            f"Cannot read the workflow file: {error.strerror or error}.",
            file=str(file),
            hint="Check that the file exists and is readable.",
        ) from None
    return parse_workflow(text, str(file), allow_free_form=allow_free_form)


def parse_workflow(text: str, path: str = "<string>", *, allow_free_form: bool = True) -> Workflow:
    """Parse workflow text. With ``allow_free_form=False`` every step must be in the step language."""
    split = split_file(text, path)
    front = load_front_matter(split, path)
    header = read_header(front.data, front.lines, path, front.start_line)
    raw_steps = read_steps(split.body, path)
    if not raw_steps:
        raise WorkflowError(
            "The workflow has no steps.",
            file=path,
            line=split.body[0][0] if split.body else split.yaml_line,
            hint='After the front matter, write numbered steps: 1. Open mousepad  2. Type "Hello"',
        )
    steps = tuple(_step(raw, path, allow_free_form) for raw in raw_steps)
    _check_refs(header, steps, front.lines, path, front.start_line)
    _check_names(header, steps, path)
    _check_names(header, header.verify, path, what="verify step")
    _check_chosen_files(steps, path)
    return Workflow(
        name=header.name,
        description=header.description,
        inputs=header.inputs,
        apps=header.apps,
        sites=header.sites,
        confirm=header.confirm,
        preapproved=header.preapproved,
        secrets=header.secrets,
        limits=header.limits,
        browser=header.browser,
        notify=header.notify,
        retries=header.retries,
        schedule=header.schedule,
        verify=header.verify,
        steps=steps,
        path=path,
        lines=MappingProxyType(front.lines),
    )


def _step(raw: RawStep, path: str, allow_free_form: bool) -> Step:
    action = parse_step(raw.sentence)
    if action is None and not allow_free_form:
        raise WorkflowError(
            f"Step {raw.n} is not in the step language: {raw.sentence!r}.",
            file=path,
            line=raw.line,
            hint=_rewrite_hint(raw.sentence),
        )
    return Step(raw.n, raw.sentence, raw.line, raw.details, action)


def _rewrite_hint(sentence: str) -> str:
    form = closest_form(sentence)
    free = "or allow free-form steps (they need a model)"
    if form is None:
        return f"No form of the step language is close; they are listed in docs/workflow-language.md — {free}."
    return f"Write it as: {form}  — {free}."


def _check_refs(header: Header, steps: tuple[Step, ...], lines: dict[str, int], path: str, start_line: int) -> None:
    for key, refs in (("confirm", header.confirm), ("preapproved", header.preapproved)):
        for index, ref in enumerate(refs):
            if any(ref.matches(step) for step in steps):
                continue
            line = lines.get(f"{key}.{index}", lines.get(key, start_line))
            raise WorkflowError(
                f"{key!r} names step {ref}, but the workflow has no such step.",
                file=path,
                line=line,
                hint=_ref_hint(ref, steps),
            )


def _ref_hint(ref: StepRef, steps: tuple[Step, ...]) -> str:
    if ref.number is not None:
        return f"Steps are numbered 1 to {len(steps)}."
    nearest = difflib.get_close_matches(ref.sentence or "", [s.sentence for s in steps], n=1, cutoff=0.4)
    if nearest:
        return f"Did you mean {nearest[0]!r}? Or name the step by its number."
    return "Copy the step's sentence exactly, or name the step by its number."


def _check_chosen_files(steps: tuple[Step, ...], path: str) -> None:
    """A file chooser takes a path from its root: a bare name would be looked for wherever it happens to be."""
    for step in steps:
        if isinstance(step.action, ChooseFile) and not step.action.path_is_full():
            raise WorkflowError(
                f"Step {step.n} chooses the file {step.action.path!r}, which is not a full path.",
                file=path,
                line=step.line,
                hint=f'Give the path from the root, e.g. Choose the file "/home/me/{step.action.path}".',
            )


def _check_names(header: Header, steps: tuple[Step, ...], path: str, *, what: str = "Step") -> None:
    """Every ``{name}`` is an input or read earlier; every ``{secret:name}`` is declared."""
    known = set(header.inputs)
    for step in steps:
        texts = step.action.templates() if step.action is not None else (step.sentence,)
        for name in (n for text in texts for n in names_in(text)):
            if name not in known:
                later = any(isinstance(s.action, READS) and s.action.name == name for s in steps[step.n :])
                hint = (
                    f"{{{name}}} is read by a later step; move that step before step {step.n}."
                    if later
                    else f"Declare it under inputs: (e.g. {name}: {{type: string}}) or read it first with "
                    f'Read "<field>" as {name}. Write {{{{{name}}}}} for literal braces.'
                )
                raise WorkflowError(
                    f"{what.capitalize()} {step.n} uses {{{name}}}, which is neither an input nor read by an earlier "
                    "step.",
                    file=path,
                    line=step.line,
                    hint=hint,
                )
        for secret in (s for text in texts for s in secret_names_in(text)):
            if secret not in header.secrets:
                raise WorkflowError(
                    f"Step {step.n} uses {{secret:{secret}}}, which is not declared under 'secrets'.",
                    file=path,
                    line=step.line,
                    hint=f"Add it to the front matter: secrets: [{secret}].",
                )
        if isinstance(step.action, READS):
            if step.action.name in header.inputs:
                raise WorkflowError(
                    f"Step {step.n} reads into {step.action.name!r}, which is already an input.",
                    file=path,
                    line=step.line,
                    hint="Read into another name, so {" + step.action.name + "} means one thing.",
                )
            known.add(step.action.name)
