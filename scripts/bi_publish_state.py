"""What the last publish wrote, so that the next one rewrites only the tables and rows that changed.

A daily build changes a small part of the big fact tables (the orders, reports, cases... a new day
touches) and leaves most of the reference tables as they were, but a publish that writes every
table again costs as much as the build's hard part (minutes at 10M events). The publish state is
a DuckDB file beside the working database (build/work/gne.publish_state.duckdb; it holds clear
ids, like the working database) that says what the current BI file was written from:

- `publish_state.meta`: the publish id of the BI file it describes, the pseudonym key id, the
  DuckDB version (row hashes are DuckDB's `hash`) and the file's storage version;
- `publish_state.file_stamp`: that file's size and modification time once in place (a file
  opened read-write and changed in place, or put back from elsewhere, no longer has them);
- `publish_state.relations`: per published table, its column signature (names, types and which
  columns are pseudonymized), row count and content fingerprint (count and sum of row hashes);
- one table per keyed relation (a model with a `unique_key`), its key columns and row hash;
- `publish_state.saved_query_sql`: the SQL MetricFlow generated for each saved query, by a digest
  of the semantic manifest it came from (a function of that file alone, and seconds to make).

The next publish starts from a copy of the BI file when that file is the one the state describes
(same publish id, key id, DuckDB and storage versions, size and modification time) and, per table: keeps it when its
fingerprint is unchanged; for a keyed table, deletes and re-inserts only the keys whose row hash
changed, appeared or disappeared; otherwise writes it whole. Any doubt (no state, another file,
another key, a changed column, a key that is null or not unique) means the whole table, or the
whole file, is written again. The state is written only after the new file is in place, so a
publish that failed leaves a state that no longer matches, and the next one is a full publish.
A row hash is 64 bits: two different rows of one key hash alike with a chance of about 2^-64.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

STATE = "publish_state"
# The catalog the publish attaches the working database under (publish_bi.py uses it too).
WORK = "work_db"
ROW_HASH = "row_hash"
Action = Literal["unchanged", "rows replaced", "rewritten"]


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def default_state_file(work_db: Path) -> Path:
    """The publish state beside the working database: build/work/gne.publish_state.duckdb."""
    return work_db.with_name(f"{work_db.stem}.publish_state.duckdb")


@dataclass(frozen=True)
class FileIdentity:
    """What must match between the state and the BI file for the file to be a starting point."""

    publish_id: str
    pseudonym_key_id: str
    duckdb_version: str
    storage_version: str


@dataclass
class TablePlan:
    """How one published table is written this time, and what the state records for it."""

    schema: str
    name: str
    columns: list[str]
    signature: str
    keys: tuple[str, ...]
    row_count: int = 0
    fingerprint: str = ""
    action: Action = "rewritten"
    changed_keys: int = 0
    temp_prefix: str = ""

    @property
    def source(self) -> str:
        return f"{quote(self.schema)}.{quote(self.name)}"

    @property
    def state_table_name(self) -> str:
        return f"rows__{self.schema}__{self.name}"

    @property
    def state_table(self) -> str:
        return f"{STATE}.{quote(self.state_table_name)}"

    @property
    def current_rows(self) -> str:
        """Temp table: key columns and row hash of every row of the working table."""
        return quote(f"{self.temp_prefix}current")

    @property
    def changed(self) -> str:
        """Temp table: the keys whose row is new, gone or different since the last publish."""
        return quote(f"{self.temp_prefix}changed")

    def key_match(self, left: str, right: str) -> str:
        return " and ".join(f"{left}.{quote(key)} = {right}.{quote(key)}" for key in self.keys)


@dataclass
class PublishState:
    """The state file attached to a connection, and what it says about the last publish."""

    con: duckdb.DuckDBPyConnection
    identity: FileIdentity | None
    relations: dict[tuple[str, str], tuple[str, int, str]] = field(default_factory=dict)

    @classmethod
    def attach(cls, con: duckdb.DuckDBPyConnection, state_file: Path) -> "PublishState":
        con.execute(f"attach {literal(str(state_file))} as {STATE}")
        con.execute(
            f"create table if not exists {STATE}.meta (publish_id varchar, pseudonym_key_id "
            "varchar, duckdb_version varchar, storage_version varchar)"
        )
        con.execute(
            f"create table if not exists {STATE}.relations (table_schema varchar, table_name "
            "varchar, signature varchar, row_count bigint, fingerprint varchar)"
        )
        con.execute(
            f"create table if not exists {STATE}.saved_query_sql (manifest_digest varchar, "
            "saved_query varchar, sql varchar)"
        )
        con.execute(
            f"create table if not exists {STATE}.file_stamp (file_size bigint, mtime_ns bigint)"
        )
        meta = con.execute(f"select * from {STATE}.meta").fetchall()
        identity = FileIdentity(*meta[0]) if len(meta) == 1 and None not in meta[0] else None
        relations = {
            (schema, name): (signature, row_count, fingerprint)
            for schema, name, signature, row_count, fingerprint in con.execute(
                f"select * from {STATE}.relations"
            ).fetchall()
        }
        return cls(con, identity, relations)

    def matches(self, bi_file: Path, wanted: FileIdentity) -> bool:
        """Whether the BI file is the one this state describes (its publish id, size and
        modification time, no WAL beside it), written the way this publish writes (same key,
        DuckDB and storage versions): then it can be the starting point."""
        if self.identity is None or not bi_file.exists():
            return False
        if bi_file.with_name(bi_file.name + ".wal").exists():
            return False  # someone wrote to it in place: its content is not what we published
        stamp = self.con.execute(f"select * from {STATE}.file_stamp").fetchall()
        if stamp != [file_stamp(bi_file)]:
            return False
        written_as = (wanted.pseudonym_key_id, wanted.duckdb_version, wanted.storage_version)
        if (self.identity.pseudonym_key_id, self.identity.duckdb_version,
                self.identity.storage_version) != written_as:
            return False
        try:
            with duckdb.connect(str(bi_file), read_only=True) as bi:
                published = bi.execute("select distinct publish_id from main.publish").fetchall()
        except duckdb.Error:
            return False
        return published == [(self.identity.publish_id,)]

    def plan(self, plan: TablePlan, starting_from_copy: bool) -> None:
        """Measure the working table (row hashes for a keyed table, else one fingerprint) and
        choose how to write it."""
        hashed = ", ".join(quote(column) for column in plan.columns)
        source = f"{WORK}.{plan.source}"
        if plan.keys:
            keys = ", ".join(quote(key) for key in plan.keys)
            self.con.execute(
                f"create or replace temp table {plan.current_rows} as "
                f"select {keys}, hash({hashed}) as {ROW_HASH} from {source}"
            )
            any_key_null = " or ".join(f"{quote(key)} is null" for key in plan.keys)
            rows, distinct_keys, null_keys, hash_sum = self.con.execute(
                f"select count(*), count(distinct ({keys})), "
                f"count(*) filter (where {any_key_null}), "
                f"sum({ROW_HASH}::hugeint) from {plan.current_rows}"
            ).fetchone()
            if null_keys or distinct_keys != rows:
                plan.keys = ()  # not a key after all: fingerprint and write it whole
        else:
            rows, hash_sum = self.con.execute(
                f"select count(*), sum(hash({hashed})::hugeint) from {source}"
            ).fetchone()
        plan.row_count = int(rows)
        plan.fingerprint = f"{rows}:{hash_sum}"
        previous = self.relations.get((plan.schema, plan.name))
        if not starting_from_copy or previous is None or previous[0] != plan.signature:
            plan.action = "rewritten"
        elif previous[2] == plan.fingerprint:
            plan.action = "unchanged"
        elif plan.keys and self.has_rows_of(plan):
            self.find_changed_keys(plan)
            plan.action = "rows replaced"
        else:
            plan.action = "rewritten"

    def find_changed_keys(self, plan: TablePlan) -> None:
        """The keys whose row was added, removed or changed since the last publish."""
        either_side = ", ".join(
            f"coalesce(now.{quote(key)}, before.{quote(key)}) as {quote(key)}"
            for key in plan.keys
        )
        self.con.execute(
            f"create or replace temp table {plan.changed} as select {either_side} "
            f"from {plan.current_rows} as now full outer join {plan.state_table} as before "
            f"on {plan.key_match('now', 'before')} "
            f"where now.{ROW_HASH} is distinct from before.{ROW_HASH}"
        )
        plan.changed_keys = self.con.execute(f"select count(*) from {plan.changed}").fetchone()[0]

    def has_rows_of(self, plan: TablePlan) -> bool:
        return bool(self.con.execute(
            "select count(*) from duckdb_tables() where database_name = ? and table_name = ?",
            [STATE, plan.state_table_name],
        ).fetchone()[0])

    def saved_query_sql(self, manifest_digest: str) -> dict[str, str]:
        """The saved queries' SQL kept for this semantic manifest (empty when there is none)."""
        return dict(self.con.execute(
            f"select saved_query, sql from {STATE}.saved_query_sql where manifest_digest = ?",
            [manifest_digest],
        ).fetchall())

    def record(
        self, plans: list[TablePlan], identity: FileIdentity, bi_file: Path,
        saved_queries: tuple[str, dict[str, str]],
    ) -> None:
        """After the new file is in place: what it holds, its stamp, and the saved queries' SQL
        for the semantic manifest it was made from, in one transaction of the state file."""
        self.con.execute("begin transaction")
        self.con.execute(f"delete from {STATE}.file_stamp")
        self.con.execute(f"insert into {STATE}.file_stamp values (?, ?)", file_stamp(bi_file))
        digest, statements = saved_queries
        self.con.execute(f"delete from {STATE}.saved_query_sql")
        self.con.executemany(
            f"insert into {STATE}.saved_query_sql values (?, ?, ?)",
            [(digest, name, sql) for name, sql in statements.items()],
        )
        self.con.execute(f"delete from {STATE}.meta")
        self.con.execute(f"delete from {STATE}.relations")
        for plan in plans:
            self.con.execute(
                f"insert into {STATE}.relations values (?, ?, ?, ?, ?)",
                [plan.schema, plan.name, plan.signature, plan.row_count, plan.fingerprint],
            )
            if not plan.keys:
                continue
            if plan.action == "rows replaced":
                self.con.execute(
                    f"delete from {plan.state_table} as before using {plan.changed} as changed "
                    f"where {plan.key_match('before', 'changed')}"
                )
                self.con.execute(
                    f"insert into {plan.state_table} select now.* from {plan.current_rows} as now "
                    f"semi join {plan.changed} as changed on {plan.key_match('now', 'changed')}"
                )
            elif plan.action == "rewritten":
                self.con.execute(
                    f"create or replace table {plan.state_table} as "
                    f"select * from {plan.current_rows}"
                )
        keyed = {plan.state_table_name for plan in plans if plan.keys}
        for (table_name,) in self.con.execute(
            "select table_name from duckdb_tables() where database_name = ? "
            "and table_name like 'rows\\_\\_%' escape '\\'",
            [STATE],
        ).fetchall():
            if table_name not in keyed:
                self.con.execute(f"drop table {STATE}.{quote(table_name)}")
        self.con.execute(
            f"insert into {STATE}.meta values (?, ?, ?, ?)",
            [identity.publish_id, identity.pseudonym_key_id, identity.duckdb_version,
             identity.storage_version],
        )
        self.con.execute("commit")


def file_stamp(path: Path) -> tuple[int, int]:
    """A file's size and modification time (nanoseconds)."""
    status = path.stat()
    return (status.st_size, status.st_mtime_ns)


def summary(plans: list[TablePlan]) -> dict[str, int]:
    """How many tables went which way (printed at the end of a publish)."""
    return dict(Counter(plan.action for plan in plans))
