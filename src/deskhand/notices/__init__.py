"""Telling the owner: notices through apprise when a run fails, is blocked, waits for approval or heals."""
