"""The changed-app suite (issue 13): web pages in several versions on real Chromium (POST bodies asserted)
and a real Qt window in several versions (its saved JSON asserted), each with a workflow that ran on
version 1. Every case must end repaired — healed without a person, or by `fix` — with no wrong submission,
and an irreversible step must never have healed silently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.changed.cases import Case, all_cases
from tests.changed.harness import CaseResult, Suite, suite
from tests.changed.site import serve

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

# Which cases need a person (a step that cannot be undone, or a redesign that changed the ids too).
NEEDS_PERSON = {"signup-v3", "signup-v6", "signup-v7", "signup-v8"}


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    with serve() as site, suite(Path(tmp_path_factory.mktemp("changed")), site) as running:
        yield running


@pytest.mark.parametrize("case", all_cases(), ids=lambda case: case.name)
def test_changed_app_is_repaired_without_a_wrong_submission(changed: Suite, case: Case) -> None:
    result: CaseResult = changed.run_case(case)
    assert result.baseline_ok, result.notes
    assert result.wrong == 0
    assert result.repaired, (result.notes, result.suggestions)
    assert result.needed_person == (case.name in NEEDS_PERSON), (result.heals, result.suggestions)
    if result.needed_person:
        assert result.rounds == 1  # the first suggestion worked
        assert result.suggestions[0], "a failure must come with a checked suggestion"
    for heal in result.heals:
        if heal["irreversible"]:
            assert heal["status"] == "needs_person", heal  # never healed silently
        assert heal["why"], heal  # every heal says why
