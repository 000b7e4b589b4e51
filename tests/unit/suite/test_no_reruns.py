"""The suite's own rule: no silent reruns. Runs small suites under the real tests/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).resolve().parents[2] / "conftest.py"

FLAKY_ONCE = """
import pathlib, pytest
{marker}
def test_{name}(tmp_path_factory):
    seen = tmp_path_factory.getbasetemp().parent / "seen-{name}"
    if not seen.exists():
        seen.write_text("1")
        raise AssertionError("first try fails")
"""


def suite(pytester: pytest.Pytester, name: str, marker: str, *args: str) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(**{f"test_{name}": FLAKY_ONCE.format(marker=marker, name=name)})
    return pytester.runpytest("-p", "rerunfailures", "-p", "no:randomly", *args)


def test_an_unmarked_test_that_fails_once_fails(pytester: pytest.Pytester) -> None:
    result = suite(pytester, "plain", "")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["reruns: 0"])


def test_a_test_marked_with_a_reason_gets_one_rerun_and_it_is_counted(pytester: pytest.Pytester) -> None:
    result = suite(pytester, "date_field", '@pytest.mark.races_on_timing(reason="keystroke between parts")')
    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("rerun")) == (1, 1), outcomes
    result.stdout.fnmatch_lines(["reruns: 1 (test_date_field.py::test_date_field)"])


@pytest.mark.parametrize(
    ("name", "marker", "says"),
    [
        ("policy_denies", '@pytest.mark.races_on_timing(reason="slow")', "never rerun"),
        ("stop_is_prompt", '@pytest.mark.races_on_timing(reason="slow")', "never rerun"),
        ("canary_stays", '@pytest.mark.races_on_timing(reason="slow")', "never rerun"),
        ("injection_sink", '@pytest.mark.races_on_timing(reason="slow")', "never rerun"),
        ("secret_never_typed", '@pytest.mark.races_on_timing(reason="slow")', "never rerun"),
        ("approval_queue_answers", '@pytest.mark.races_on_timing(reason="slow")', "never rerun"),
        ("mcp_fill_and_submit", '@pytest.mark.races_on_timing(reason="slow")', "never rerun"),
        ("send_needs_confirmation", '@pytest.mark.races_on_timing(reason="slow")', "never rerun"),
        ("unexplained", "@pytest.mark.races_on_timing", "needs a reason"),
        ("bare_flaky", "@pytest.mark.flaky(reruns=3)", "no bare flaky"),
    ],
)
def test_reruns_are_refused_where_they_would_hide_a_guard_bug(
    pytester: pytest.Pytester, name: str, marker: str, says: str
) -> None:
    result = suite(pytester, name, marker)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert says in result.stderr.str() + result.stdout.str()


@pytest.mark.parametrize(
    ("args", "ini"),
    [(("--reruns", "2"), ""), (("--force-reruns", "1"), ""), ((), "[pytest]\nreruns = 2\n")],
    ids=["--reruns", "--force-reruns", "ini"],
)
def test_suite_wide_reruns_are_refused(pytester: pytest.Pytester, args: tuple[str, ...], ini: str) -> None:
    if ini:
        pytester.makeini(ini)
    result = suite(pytester, "plain", "", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "reruns every test" in result.stderr.str() + result.stdout.str()
