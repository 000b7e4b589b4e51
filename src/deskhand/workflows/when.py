"""When a workflow runs: cron expressions and a few plain forms ("every weekday at 9:00"), one cron each.

Every schedule becomes a 5-field cron expression checked by croniter (the widely used cron iterator: next
and previous firing times, local time with DST); cron-descriptor says it back in words, so a person sees
what the plain form was taken to mean. The plain forms are a small grammar of our own: no maintained
library turns English into cron.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from croniter import croniter

from deskhand.errors import WorkflowError

MISSED_POLICIES = ("run", "skip")
_DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_ALIASES = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0"}
_ALIASES |= {"@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"}
_TIME = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?"
_EVERY_N = re.compile(r"^every\s+(\d+)\s+(minute|hour)s?$")
_EVERY_ONE = re.compile(r"^(?:every\s+(minute|hour)|(hourly))$")
_DAY = rf"(?:{'|'.join(_DAYS)})s?"
_AT = re.compile(rf"^(?:every\s+)?(day|daily|weekdays?|weekend|{_DAY}(?:(?:\s*,\s*|\s+and\s+){_DAY})*)\s+at\s+{_TIME}$")
_CRON_FIELD = re.compile(r"^(?:[\d*/,\-?LW#]+|[A-Za-z]{3}(?:[-,][A-Za-z]{3})*)$")
_DAILY_AT = re.compile(rf"^daily\s+at\s+{_TIME}$")
FORMS_HINT = (
    'Write a cron expression such as "0 9 * * 1-5" (minute hour day month weekday), or a plain form: '
    '"every 15 minutes", "every hour", "every day at 18:30", "daily at 18:30", "every weekday at 9:00", '
    '"every monday and thursday at 7am".'
)


@dataclass(frozen=True, slots=True)
class When:
    """One schedule: the text as written and the cron expression it means."""

    text: str
    cron: str

    def describe(self) -> str:
        """The cron expression in words (cron-descriptor), e.g. "At 09:00 AM, Monday through Friday"."""
        from cron_descriptor import get_description

        return str(get_description(self.cron))

    def next_after(self, moment: datetime) -> datetime:
        """The first firing after ``moment`` (aware, local time)."""
        return croniter(self.cron, moment).get_next(datetime)

    def fires_between(self, start: datetime, end: datetime, limit: int = 1000) -> list[datetime]:
        """Firings in (start, end], oldest first, at most ``limit``."""
        found: list[datetime] = []
        it = croniter(self.cron, start)
        while len(found) < limit:
            moment: datetime = it.get_next(datetime)
            if moment > end:
                break
            found.append(moment)
        return found


def parse_when(text: str) -> When:
    """``text`` as a schedule; ValueError (with the reason) when it is neither a cron expression nor a form."""
    spoken = " ".join(text.strip().lower().split())
    cron = _ALIASES.get(spoken) or _plain_form(spoken) or _cron_form(text.strip())
    if not croniter.is_valid(cron):
        raise ValueError(_cron_problem(cron))
    return When(text.strip(), cron)


def when_or_error(text: str, *, file: str, line: int) -> When:
    try:
        return parse_when(text)
    except ValueError as problem:
        raise WorkflowError(f"{text!r} is not a schedule: {problem}.", file=file, line=line, hint=FORMS_HINT) from None


def _cron_form(text: str) -> str:
    fields = text.split()
    if len(fields) != 5:
        raise ValueError(
            f"a cron expression has 5 fields (minute hour day month weekday), this has {len(fields)}"
            if fields and all(_CRON_FIELD.match(f) for f in fields)
            else "it is not one of the plain forms and not a cron expression"
        )
    return " ".join(fields)


def _cron_problem(cron: str) -> str:
    try:
        croniter(cron)
    except (ValueError, KeyError) as error:
        return str(error).replace(f"[{cron}] ", "")
    return "croniter does not accept it"


def _plain_form(spoken: str) -> str | None:
    if match := _EVERY_N.match(spoken):
        count, unit = int(match.group(1)), match.group(2)
        top = 59 if unit == "minute" else 23
        if not 1 <= count <= top:
            raise ValueError(f"every {count} {unit}s: the number must be 1 to {top}")
        if count == 1:
            return "* * * * *" if unit == "minute" else "0 * * * *"
        return f"*/{count} * * * *" if unit == "minute" else f"0 */{count} * * *"
    if match := _EVERY_ONE.match(spoken):
        return "* * * * *" if match.group(1) == "minute" else "0 * * * *"
    if match := _DAILY_AT.match(spoken):
        hour, minute = _clock(match.group(1), match.group(2), match.group(3))
        return f"{minute} {hour} * * *"
    if match := _AT.match(spoken):
        hour, minute = _clock(match.group(2), match.group(3), match.group(4))
        return f"{minute} {hour} * * {_weekdays(match.group(1))}"
    return None


def _clock(hours: str, minutes: str | None, half: str | None) -> tuple[int, int]:
    hour, minute = int(hours), int(minutes or 0)
    if half is not None:
        if not 1 <= hour <= 12:
            raise ValueError(f"{hour}{half} is not a time: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{hours}:{minutes or '00'} is not a time of day (00:00 to 23:59)")
    return hour, minute


def _weekdays(days: str) -> str:
    if days in ("day", "daily"):
        return "*"
    if days in ("weekday", "weekdays"):
        return "1-5"
    if days == "weekend":
        return "0,6"
    names = [name.rstrip("s") if name.rstrip("s") in _DAYS else name for name in re.split(r"\s*,\s*|\s+and\s+", days)]
    return ",".join(str(_DAYS.index(name)) for name in names)
