"""Row claims of a parallel batch: which command pass took a row, so that N desktops never run one row twice.

A pass is one `deskhand run --parallel N` command (a token it makes). A worker claims a row by writing the
pass token on it in one statement, which succeeds for one worker only; a row an earlier pass claimed (and
left running, failed or pending when that command stopped) is open to the next pass, where the usual batch
rules (intents, `verify:`) decide what happens to it. No row is claimed once a row of the pass has failed:
a parallel batch stops at its first failure, as a serial one does."""

from __future__ import annotations

from deskhand.database import Where, open_database


class RowClaims:
    """Claims over the run store (its own connection: each worker process has one)."""

    def __init__(self, path: Where, pass_id: str) -> None:
        self.pass_id = pass_id
        self._db = open_database(path)

    def claim(self, batch_id: str, index: int) -> bool:
        """True when this pass now owns row ``index`` (no other worker of the pass has it)."""
        cursor = self._db.execute(
            "UPDATE batch_rows SET claimed_by = ? WHERE batch_id = ? AND row_index = ? "
            "AND (claimed_by IS NULL OR claimed_by != ?) "
            "AND NOT EXISTS (SELECT 1 FROM batch_rows WHERE batch_id = ? AND claimed_by = ? AND status = 'failed')",
            (self.pass_id, batch_id, index, self.pass_id, batch_id, self.pass_id),
        )
        return cursor.rowcount == 1

    def rows_of_pass(self, batch_id: str) -> dict[int, str]:
        """Row index → status, for the rows this pass claimed."""
        query = "SELECT row_index, status FROM batch_rows WHERE batch_id = ? AND claimed_by = ?"
        return {int(index): str(status) for index, status in self._db.execute(query, (batch_id, self.pass_id))}

    def close(self) -> None:
        self._db.close()
