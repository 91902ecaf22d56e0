"""Schema migrations: named functions, applied in order, each in one transaction.

A migration is recorded in `migrations` by name when it commits, so an
interrupted upgrade is retried whole. Append new migrations at the end of
MIGRATIONS; never edit one that has shipped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from hashlib import sha256

from ..errors import ReseausyncError
from ..recordtext import fields_text
from .rows import interaction_digest


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Execute statements one by one: `executescript` would COMMIT the migration's
    transaction first and lose its atomicity."""
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def m001_initial(db: sqlite3.Connection) -> None:
    run_script(db, """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        connector TEXT NOT NULL,
        command TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',      -- running | ok | failed
        added INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        message TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE units (                              -- what was read, with what fingerprint
        source TEXT NOT NULL,
        unit TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        run INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT '',               -- unused: cursors live in meta
        PRIMARY KEY (source, unit)
    );
    CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        connector TEXT NOT NULL,
        external_id TEXT NOT NULL,
        unit TEXT NOT NULL,
        locator TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        data TEXT NOT NULL,                           -- SourceRecord.content(): JSON, no locator
        raw TEXT NOT NULL DEFAULT '',
        photo TEXT NOT NULL DEFAULT '',               -- digest into photos
        collected_at TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        first_run INTEGER NOT NULL,
        last_run INTEGER NOT NULL,
        removed_at TEXT,                              -- tombstone: kept, never deleted
        removed_run INTEGER,
        UNIQUE (source, external_id)
    );
    CREATE INDEX records_unit ON records (source, unit);
    CREATE TABLE photos (
        digest TEXT PRIMARY KEY,
        media_type TEXT NOT NULL,
        data BLOB NOT NULL
    );
    CREATE TABLE interactions (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        connector TEXT NOT NULL,
        external_id TEXT NOT NULL,
        unit TEXT NOT NULL,
        locator TEXT NOT NULL,
        kind TEXT NOT NULL,
        occurred_at TEXT NOT NULL,                    -- ISO 8601, UTC
        direction TEXT NOT NULL,
        thread TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        participants TEXT NOT NULL,                   -- JSON list of Participant
        extra TEXT NOT NULL DEFAULT '{}',
        content_hash TEXT NOT NULL,
        first_run INTEGER NOT NULL,
        last_run INTEGER NOT NULL,
        removed_at TEXT,
        removed_run INTEGER,
        UNIQUE (source, external_id)
    );
    CREATE INDEX interactions_unit ON interactions (source, unit);
    CREATE TABLE contacts (
        id TEXT PRIMARY KEY,                          -- stable across runs
        data TEXT NOT NULL,                           -- canonical fields + provenance, JSON
        created_run INTEGER,
        updated_run INTEGER,
        removed_at TEXT                               -- every member record tombstoned
    );
    CREATE TABLE contact_records (                    -- which records make which contact
        record_id INTEGER PRIMARY KEY REFERENCES records (id),
        contact_id TEXT NOT NULL REFERENCES contacts (id),
        reason TEXT NOT NULL DEFAULT '{}'             -- why it joined (JSON explanation)
    );
    CREATE INDEX contact_records_contact ON contact_records (contact_id);
    CREATE TABLE match_pairs (                        -- scored candidate pairs, a < b
        a INTEGER NOT NULL,
        b INTEGER NOT NULL,
        score REAL NOT NULL,
        decision TEXT NOT NULL,                       -- merge | review | distinct
        explanation TEXT NOT NULL,                    -- JSON: level reached per field
        PRIMARY KEY (a, b)
    );
    CREATE TABLE overrides (                          -- the user's word; wins every run
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,                           -- link | split
        a INTEGER NOT NULL,                           -- record ids, which outlive contact ids
        b INTEGER NOT NULL,
        a_ref TEXT NOT NULL,                          -- what the user typed
        b_ref TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE interaction_links (                  -- participant -> contact
        interaction_id INTEGER NOT NULL REFERENCES interactions (id),
        participant INTEGER NOT NULL,                 -- index in participants
        contact_id TEXT,                              -- NULL: nobody we know
        method TEXT NOT NULL,                         -- email | phone | url | name | none
        PRIMARY KEY (interaction_id, participant)
    );
    CREATE INDEX interaction_links_contact ON interaction_links (contact_id);
    CREATE TABLE rejects (
        id INTEGER PRIMARY KEY,
        run INTEGER NOT NULL,
        source TEXT NOT NULL,
        unit TEXT NOT NULL,
        location TEXT NOT NULL,
        reason TEXT NOT NULL,
        message TEXT NOT NULL,
        excerpt TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX rejects_run ON rejects (run);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """)


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_initial", m001_initial),
]


def unknown_migrations(db: sqlite3.Connection) -> list[str]:
    """Migrations the directory has that this code does not know: it was upgraded
    by a newer reseausync. Writing it with this one would rewrite its rows in the
    old format (QA S7), so writers refuse it and readers warn."""
    has_table = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                           "AND name='migrations'").fetchone()
    if has_table is None:
        return []
    known = {name for name, _ in MIGRATIONS}
    return sorted(row[0] for row in db.execute("SELECT name FROM migrations")
                  if row[0] not in known)


def pending_migrations(db: sqlite3.Connection) -> list[str]:
    """Known migrations the directory lacks (all of them for an empty file)."""
    has_table = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                           "AND name='migrations'").fetchone()
    done = ({row[0] for row in db.execute("SELECT name FROM migrations")}
            if has_table else set())
    return [name for name, _ in MIGRATIONS if name not in done]


def check_read_only(db: sqlite3.Connection, path: str) -> None:
    """A directory opened read-only cannot be upgraded: refuse one that needs it
    rather than read tables in a shape this code does not expect."""
    pending = pending_migrations(db)
    if pending:
        raise ReseausyncError(
            f"{path}: this directory was written by an older reseausync and needs an "
            f"upgrade ({', '.join(pending)}), which cannot be written here (read-only)",
            hint="run any command once where the directory is writable, or copy it "
                 "to a writable folder")


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; returns the names applied."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT)")
    done = {row[0] for row in db.execute("SELECT name FROM migrations")}
    applied = []
    for name, func in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # read again under the write lock: another process opening the same
            # old directory at the same moment may have applied it meanwhile
            # (two readers after an upgrade: one failed on the migrations key)
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                db.execute("COMMIT")
                continue
            func(db)
            db.execute("INSERT INTO migrations VALUES (?, ?)",
                       (name, datetime.now(UTC).isoformat(timespec="seconds")))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def m002_publish(db: sqlite3.Connection) -> None:
    """What `publish` wrote to a CardDAV target: the only cards it may touch later."""
    run_script(db, """
    CREATE TABLE published (
        target TEXT NOT NULL,                         -- the address book URL
        contact_id TEXT NOT NULL,
        href TEXT NOT NULL,                           -- the card's path on the server
        uid TEXT NOT NULL,
        etag TEXT NOT NULL,                           -- the server's ETag after our write
        content_hash TEXT NOT NULL,                   -- sha256 of the vCard we wrote
        published_at TEXT NOT NULL,
        conflict TEXT NOT NULL DEFAULT '',            -- why the last write was refused (412)
        PRIMARY KEY (target, contact_id)
    );
    CREATE UNIQUE INDEX published_href ON published (target, href);
    """)


MIGRATIONS.append(("002_publish", m002_publish))


def m011_match_state(db: sqlite3.Connection) -> None:
    """What the match stage keeps between runs, so a sync re-matches only what changed:
    each live record's comparison features (with the content hash they came from) and
    its blocking keys (64-bit hashes), looked up by key to find a record's block. The
    indexes find the records a run touched and the pairs touching a record."""
    run_script(db, """
    CREATE TABLE match_records (
        record_id INTEGER PRIMARY KEY,
        content_hash TEXT NOT NULL,                   -- records.content_hash when matched
        features TEXT NOT NULL                        -- compact JSON of the comparison forms
    );
    CREATE TABLE match_keys (
        key INTEGER NOT NULL,                         -- hash of a blocking key
        record_id INTEGER NOT NULL,
        PRIMARY KEY (key, record_id)
    ) WITHOUT ROWID;
    CREATE INDEX match_pairs_b ON match_pairs (b);
    CREATE INDEX records_last_run ON records (last_run);
    CREATE INDEX records_removed_run ON records (removed_run);
    """)


MIGRATIONS.append(("011_match_state", m011_match_state))


def m012_match_keys_rowid(db: sqlite3.Connection) -> None:
    """match_keys as a plain table with a separate index: a full rebuild appends a
    million keys and builds the index once (a sort) instead of inserting each key
    into a B-tree at a random place."""
    run_script(db, """
    DROP TABLE match_keys;
    CREATE TABLE match_keys (
        key INTEGER NOT NULL,                         -- hash of a blocking key
        record_id INTEGER NOT NULL
    );
    CREATE INDEX match_keys_key ON match_keys (key, record_id);
    """)


MIGRATIONS.append(("012_match_keys_rowid", m012_match_keys_rowid))


def m013_links_without_none(db: sqlite3.Connection) -> None:
    """A participant linked to nobody no longer has a row (engagement/linking.py:
    UNLINKED_SQL finds them); the rows earlier runs wrote for them go."""
    db.execute("DELETE FROM interaction_links WHERE method = 'none'")


MIGRATIONS.append(("013_links_without_none", m013_links_without_none))


def m014_lean_match_tables(db: sqlite3.Connection) -> None:
    """Two tables a full build writes a row per record (or per key) into, rebuilt so
    each row costs one B-tree insert:
    - contact_records without declared foreign keys: SQLite looked up the record
      and the contact of every link row (a hashed contact id lands on a random page
      of contacts' index), half the cost of writing a first import's links. The
      links are written right after their contacts by the one function that mints
      them (merge/regroup.py), and tests/merge/test_integrity.py checks that every
      link names a live record's contact after every kind of run.
    - match_keys clustered by key (WITHOUT ROWID): a full build writes its keys in
      key order, straight into the one B-tree the lookups read, instead of a table
      plus an index sorted afterwards (migration 012 made that split when the keys
      arrived in record order)."""
    run_script(db, """
    CREATE TABLE contact_records_new (                -- which records make which contact
        record_id INTEGER PRIMARY KEY,                -- records.id
        contact_id TEXT NOT NULL,                     -- contacts.id
        reason TEXT NOT NULL DEFAULT '{}'             -- why it joined (JSON explanation)
    );
    INSERT INTO contact_records_new SELECT record_id, contact_id, reason FROM contact_records;
    DROP TABLE contact_records;
    ALTER TABLE contact_records_new RENAME TO contact_records;
    CREATE INDEX contact_records_contact ON contact_records (contact_id);
    CREATE TABLE match_keys_new (
        key INTEGER NOT NULL,                         -- hash of a blocking key
        record_id INTEGER NOT NULL,
        PRIMARY KEY (key, record_id)
    ) WITHOUT ROWID;
    INSERT INTO match_keys_new SELECT key, record_id FROM match_keys ORDER BY key, record_id;
    DROP TABLE match_keys;
    ALTER TABLE match_keys_new RENAME TO match_keys;
    """)


MIGRATIONS.append(("014_lean_match_tables", m014_lean_match_tables))


def m015_content_without_unit(db: sqlite3.Connection) -> None:
    """Where a record or an interaction was read (its unit: the file's path) left
    their content hashes: next month's export saved under another name made every
    record an update and every message a rewrite. Records lose the `unit` key of
    their stored JSON (it has its own column) and both get the hash the new code
    gives the same content, so the first import after the upgrade finds them
    unchanged; the match state follows its records' new hashes, so nothing is
    matched again."""
    drop_record_key(db, "unit")
    last = 0
    while True:
        rows = db.execute(
            "SELECT id, connector, kind, occurred_at, direction, thread, subject, participants, "
            "extra FROM interactions WHERE id > ? ORDER BY id LIMIT 20000", (last,)).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        db.executemany("UPDATE interactions SET content_hash=? WHERE id=?",
                       [(interaction_digest(*row[1:]), row[0]) for row in rows])


MIGRATIONS.append(("015_content_without_unit", m015_content_without_unit))


def m016_runs_dry_run(db: sqlite3.Connection) -> None:
    """`sync --dry-run` runs are marked: `runs --format json` showed them as real
    runs ("ok", added 11) to a script summing what was added. Dry runs recorded
    before this migration are known by the message they were closed with."""
    run_script(db, """
    ALTER TABLE runs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;
    UPDATE runs SET dry_run = 1 WHERE message = 'dry run: nothing written'
    """)


MIGRATIONS.append(("016_runs_dry_run", m016_runs_dry_run))


def m017_decisions_by_contact(db: sqlite3.Connection) -> None:
    """The user's link/split names two *contacts* (or records), not their smallest
    records: `override_records` holds the records each side named when the decision
    was made, so it keeps holding when one of them leaves its source (QA: a split
    stopped holding and the ids swapped people when the contact's first record was
    deleted).

    Decisions stored before: a link keeps its two records. A split typed with a
    contact id names the live records of that contact today (the user's split still
    holds: the two contacts are apart), unless they overlap the other side's."""
    run_script(db, """
    CREATE TABLE override_records (                   -- the records a decision's sides name
        override_id INTEGER NOT NULL,
        side INTEGER NOT NULL,                        -- 0: the a side, 1: the b side
        record_id INTEGER NOT NULL,
        PRIMARY KEY (override_id, side, record_id)
    );
    CREATE INDEX override_records_record ON override_records (record_id)
    """)
    fill_decisions_without_records(db)     # every decision: the table is new


def _m017_side(db: sqlite3.Connection, rid: int, ref: str) -> set[int]:
    """The records a split's side names: the record itself when it was typed as
    SOURCE:EXTERNAL_ID, else the live records of the contact holding it now."""
    row = db.execute("SELECT source || ':' || external_id FROM records WHERE id=?",
                     (rid,)).fetchone()
    if row is None or row[0] == ref:
        return {rid}
    found = {r[0] for r in db.execute(
        "SELECT cr.record_id FROM contact_records cr JOIN records r ON r.id = cr.record_id "
        "WHERE r.removed_at IS NULL AND cr.contact_id = "
        "(SELECT contact_id FROM contact_records WHERE record_id=?)", (rid,))}
    return found | {rid}


MIGRATIONS.append(("017_decisions_by_contact", m017_decisions_by_contact))


def m018_merged_into(db: sqlite3.Connection) -> None:
    """`contacts.merged_into`: the contact that took the records of a contact removed
    by a merge (the user's link, or the matcher), so `show` and `link` of the old id
    say where it went instead of "its records left their sources". Contacts merged
    before this are not known as such."""
    run_script(db, "ALTER TABLE contacts ADD COLUMN merged_into TEXT")


MIGRATIONS.append(("018_merged_into", m018_merged_into))


def m019_succeeded_by(db: sqlite3.Connection) -> None:
    """`records.succeeded_by`: the record a run added in place of this one, removed
    in the same run (its source re-keyed it: a new UID, an upgrade's keys), which
    took its contact id and the user's decisions (merge/succession.py)."""
    run_script(db, "ALTER TABLE records ADD COLUMN succeeded_by INTEGER")


MIGRATIONS.append(("019_succeeded_by", m019_succeeded_by))


def m020_record_former_values(db: sqlite3.Connection) -> None:
    """`record_former_values`: the e-mails, phones and profile URL an edit took off
    a record, kept with the time the edit was read, so a contact's former address
    still links its past mail (QA5 #3: a phone card edited to the new employer's
    address, and the old job's exchange read as "never answered"). A trigger
    writes them, so every writer of records keeps them alike; a removed record
    keeps its values itself. The directory's links are redone once at the next
    build (engagement/history.py: who held a key, and when)."""
    run_script(db, """
    CREATE TABLE record_former_values (               -- a value an edit took off a record
        record_id INTEGER NOT NULL,                   -- records.id
        field TEXT NOT NULL,                          -- emails | phones | linkedin_url
        value TEXT NOT NULL,                          -- as the record held it
        until TEXT NOT NULL,                          -- when the edit was read (ISO UTC)
        until_run INTEGER NOT NULL,                   -- the run that read it
        PRIMARY KEY (record_id, field, value)
    ) WITHOUT ROWID;
    INSERT OR REPLACE INTO meta (key, value)
    SELECT key, '1' FROM (SELECT 'contacts_dirty' AS key UNION ALL SELECT 'links_dirty')
    WHERE EXISTS (SELECT 1 FROM contacts)
    """)
    db.execute(_M020_TRIGGER)    # one statement: run_script would split its body


_M020_TRIGGER = """
CREATE TRIGGER records_former_values AFTER UPDATE OF data ON records
    WHEN OLD.data <> NEW.data AND json_valid(OLD.data) AND json_valid(NEW.data)
    BEGIN
        INSERT OR REPLACE INTO record_former_values
        SELECT OLD.id, f.field, o.value ->> 'value', NEW.last_seen, NEW.last_run
        FROM (SELECT 'emails' AS field UNION ALL SELECT 'phones') f
        JOIN json_each(OLD.data, '$.' || f.field) o
        WHERE o.type = 'object' AND coalesce(o.value ->> 'value', '') <> ''
          AND o.value ->> 'value' NOT IN (
              SELECT coalesce(n.value ->> 'value', '') FROM json_each(NEW.data, '$.' || f.field) n
              WHERE n.type = 'object');
        INSERT OR REPLACE INTO record_former_values
        SELECT OLD.id, 'linkedin_url', OLD.data ->> 'linkedin_url', NEW.last_seen, NEW.last_run
        WHERE coalesce(OLD.data ->> 'linkedin_url', '')
              NOT IN ('', coalesce(NEW.data ->> 'linkedin_url', ''));
    END
"""


MIGRATIONS.append(("020_record_former_values", m020_record_former_values))


def m021_records_changed(db: sqlite3.Connection) -> None:
    """`records.changed_at` / `changed_run`: when and in which run a record's content
    last changed. Survivorship's "newest" record was the one first read last, so a
    card the user edited today lost to an export read once, a minute later, years
    ago. NULL (every row written before this) means never changed since it was
    first read: first_seen / first_run stand for it, so no row is rewritten."""
    run_script(db, "ALTER TABLE records ADD COLUMN changed_at TEXT;\n"
                   "ALTER TABLE records ADD COLUMN changed_run INTEGER;")


MIGRATIONS.append(("021_records_changed", m021_records_changed))


def m022_link_state(db: sqlite3.Connection) -> None:
    """What the last linking of interactions saw (engagement/relink.py), so a sync
    that changes one card relinks only the interactions whose links it can change
    instead of every one (about 5 s of CPU per 300,000 interactions): the keys of
    each live contact, the keys each distinct participants list names, and a
    digest of each key's holders over time. Empty until the next linking, which
    is then a full one (no `links.state` in meta)."""
    run_script(db, """
    CREATE TABLE link_keys (                          -- key -> live contact, as linked
        key TEXT NOT NULL,                            -- "e:", "p:", "u:", "n:" + key; "o:"
        contact_id TEXT NOT NULL,
        PRIMARY KEY (key, contact_id)
    ) WITHOUT ROWID;
    CREATE INDEX link_keys_contact ON link_keys (contact_id);
    CREATE TABLE link_blob_keys (                     -- the keys a participants list names
        key TEXT NOT NULL,
        participants TEXT NOT NULL,                   -- as interactions.participants
        PRIMARY KEY (key, participants)
    ) WITHOUT ROWID;
    CREATE TABLE link_history (                       -- a key's holders over time, as linked
        key TEXT PRIMARY KEY,
        digest TEXT NOT NULL
    ) WITHOUT ROWID;
    """)


MIGRATIONS.append(("022_link_state", m022_link_state))


def writer() -> str:
    """What `runs.writer` and `overrides.writer` hold for a row this code writes: the
    directory format it knows (the last migration's name)."""
    return MIGRATIONS[-1][0]


NEWER_WRITER = ("this directory was upgraded by a newer reseausync: upgrade this "
                "installation of reseausync (check which one a cron line or service runs)")


def m023_older_writers_refused(db: sqlite3.Connection) -> None:
    """Releases from before the "newer directory" check (store/db.py) opened an
    upgraded directory and wrote to it: a `link` main then ignored (it wrote no
    `override_records`), a sync that rewrote every record in its own format (QA6 #2).
    Every write of theirs starts with a row in `runs` (a sync, an import) or in
    `overrides` (link, split): both get a `writer` column this code always sets, and
    a trigger aborts an insert without it, before anything else is written.

    Decisions such a release stored after migration 017 have no `override_records`:
    they name their two records, as m017 gives every older decision."""
    for table in ("runs", "overrides"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN writer TEXT")
        db.execute(f"CREATE TRIGGER {table}_older_writer BEFORE INSERT ON {table} "
                   f"WHEN NEW.writer IS NULL BEGIN SELECT RAISE(ABORT, '{NEWER_WRITER}'); END")
    fill_decisions_without_records(db)


def fill_decisions_without_records(db: sqlite3.Connection) -> int:
    """Give a decision stored without `override_records` (by a release older than
    migration 017, writing after it) the sides m017 gives such decisions; returns how
    many were filled."""
    orphans = db.execute("SELECT id, kind, a, b, a_ref, b_ref FROM overrides WHERE id NOT IN "
                         "(SELECT override_id FROM override_records)").fetchall()
    for oid, kind, a, b, a_ref, b_ref in orphans:
        sides = [{a}, {b}]
        if kind == "split":
            wide = [_m017_side(db, rid, ref) for rid, ref in ((a, a_ref), (b, b_ref))]
            if wide[0].isdisjoint(wide[1]):
                sides = wide
        db.executemany("INSERT INTO override_records VALUES (?, ?, ?)",
                       [(oid, side, rid) for side, rids in enumerate(sides) for rid in rids])
    return len(orphans)


MIGRATIONS.append(("023_older_writers_refused", m023_older_writers_refused))


def m024_content_without_locator(db: sqlite3.Connection) -> None:
    """Records written by the first releases also kept their `locator` (where in the
    file: it has its own column) in their stored JSON, and their hash covered it:
    m015 took out `unit` only, so the first re-read of such a file found every card
    changed (QA6 #4: one edited card gave "10 updated" and every card of the book
    `changed_at` now, first in survivorship's "newest"). The key goes and the hash
    is the one today's code gives the same content, as m015 does; the match state
    follows its records' new hashes, so nothing is matched again."""
    drop_record_key(db, "locator")


def drop_record_key(db: sqlite3.Connection, key: str) -> None:
    """Take `key` out of every record's stored JSON, giving it the hash today's code
    gives the same content, and move the match state along to the new hashes, so
    nothing is matched again (m015's `unit`, m024's `locator`)."""
    last = 0
    while True:
        rows = db.execute("SELECT id, data, content_hash FROM records WHERE id > ? "
                          "ORDER BY id LIMIT 5000", (last,)).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        changed, matched = [], []
        for rid, text, old in rows:
            if f'"{key}"' not in text:     # most records: no JSON decoding
                continue
            data = json.loads(text)
            if not isinstance(data, dict) or key not in data:
                continue
            del data[key]
            text = fields_text(data)
            new = sha256(text.encode("utf-8")).hexdigest()
            changed.append((text, new, rid))
            matched.append((new, rid, old))
        db.executemany("UPDATE records SET data=?, content_hash=? WHERE id=?", changed)
        db.executemany("UPDATE match_records SET content_hash = ? || substr(content_hash, 65) "
                       "WHERE record_id=? AND substr(content_hash, 1, 64) = ?", matched)


MIGRATIONS.append(("024_content_without_locator", m024_content_without_locator))


def m025_engagement_summaries(db: sqlite3.Connection) -> None:
    """`engagement_summaries`: per contact, what its status and tie strength are
    computed from (engagement/summary.py), over all its interactions, with the time
    of the latest (`through`): for any as-of date after it the summary is the one
    the interactions give, so the whole-directory reads need not classify 300,000
    interactions again. `engagement_stale` lists the contacts whose interactions or
    links changed since: triggers fill it, so every writer (a run, a link or a
    split, a relink, a removal, a future migration) keeps it right without knowing
    it; the next build computes them again, and a read computes them itself until
    then. Empty until the first build after this (no `engagement_summary` in meta:
    unused). Written to be applied again over itself (IF NOT EXISTS), as a
    directory whose last migration is forgotten gets it again."""
    run_script(db, """
    CREATE TABLE IF NOT EXISTS engagement_summaries ( -- contact -> its engagement summary
        contact_id TEXT PRIMARY KEY,
        through TEXT NOT NULL,                        -- latest occurred_at it counts
        last_engagement TEXT,                         -- ISO instants as the events give
        last_attempt TEXT,
        engagements INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        engaged_days INTEGER NOT NULL,
        written TEXT                                  -- Summary.written
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS engagement_stale (     -- summaries to compute again
        contact_id TEXT PRIMARY KEY
    ) WITHOUT ROWID
    """)
    for trigger in _M025_TRIGGERS:    # one statement each: run_script would split them
        db.execute(trigger.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


# Every contact linked to one interaction: its evidence depends on the interaction's
# row and on the owner's links of it (who wrote an "in" message, status._EVENTS_SQL).
_M025_LINKED = ("INSERT OR IGNORE INTO engagement_stale SELECT contact_id FROM "
                "interaction_links WHERE interaction_id = {} AND contact_id IS NOT NULL;")
_M025_ONE = "INSERT OR IGNORE INTO engagement_stale SELECT {0} WHERE {0} IS NOT NULL;"
_M025_TRIGGERS = (
    # a REPLACE deletes the row it replaces without firing delete triggers (SQLite
    # fires them only with recursive_triggers): its contact, and for an owner's
    # link every contact of the interaction, are marked before
    "CREATE TRIGGER engagement_stale_link_replaced BEFORE INSERT ON interaction_links "
    "WHEN NEW.method = 'owner' OR EXISTS (SELECT 1 FROM interaction_links WHERE "
    "interaction_id = NEW.interaction_id AND participant = NEW.participant) BEGIN "
    + _M025_LINKED.format("NEW.interaction_id") + " END",
    "CREATE TRIGGER engagement_stale_link_added AFTER INSERT ON interaction_links "
    "WHEN NEW.contact_id IS NOT NULL BEGIN " + _M025_ONE.format("NEW.contact_id") + " END",
    "CREATE TRIGGER engagement_stale_link_dropped AFTER DELETE ON interaction_links BEGIN "
    + _M025_ONE.format("OLD.contact_id") + _M025_LINKED.format("OLD.interaction_id") + " END",
    "CREATE TRIGGER engagement_stale_link_changed AFTER UPDATE ON interaction_links BEGIN "
    + _M025_ONE.format("OLD.contact_id") + _M025_LINKED.format("OLD.interaction_id")
    + _M025_LINKED.format("NEW.interaction_id") + " END",
    "CREATE TRIGGER engagement_stale_interaction_changed AFTER UPDATE ON interactions "
    "WHEN OLD.removed_at IS NOT NEW.removed_at OR OLD.occurred_at IS NOT NEW.occurred_at "
    "OR OLD.kind IS NOT NEW.kind OR OLD.direction IS NOT NEW.direction "
    "OR OLD.thread IS NOT NEW.thread OR OLD.subject IS NOT NEW.subject "
    "OR OLD.extra IS NOT NEW.extra OR OLD.external_id IS NOT NEW.external_id "
    "OR OLD.id IS NOT NEW.id BEGIN "
    + _M025_LINKED.format("OLD.id") + _M025_LINKED.format("NEW.id") + " END",
    "CREATE TRIGGER engagement_stale_interaction_dropped AFTER DELETE ON interactions BEGIN "
    + _M025_LINKED.format("OLD.id") + " END",
)


MIGRATIONS.append(("025_engagement_summaries", m025_engagement_summaries))


def m026_link_blob_digests(db: sqlite3.Connection) -> None:
    """`link_blob_keys` names each participants list by one interaction carrying it
    and the list's digest (engagement/relink.py) instead of its text. A first
    linking of a million LinkedIn messages stored 400,000 rows of about 250 bytes,
    gathered and sorted whole: about 4-7 s of CPU and 160 MiB of peak memory. The
    stored state is dropped: the next linking is a full one."""
    run_script(db, """
    DROP TABLE link_blob_keys;
    CREATE TABLE link_blob_keys (                     -- the keys a participants list names
        key TEXT NOT NULL,
        interaction_id INTEGER NOT NULL,              -- one interaction with the list
        digest INTEGER NOT NULL,                      -- relink.digest(participants)
        PRIMARY KEY (key, interaction_id, digest)     -- the list it carried then
    ) WITHOUT ROWID;
    DELETE FROM link_keys;
    DELETE FROM link_history;
    DELETE FROM meta WHERE key = 'links.state'
    """)


MIGRATIONS.append(("026_link_blob_digests", m026_link_blob_digests))


def m027_former_values_in_upserts(db: sqlite3.Connection) -> None:
    """Migration 020's trigger kept a value an edit took off a record with `INSERT OR
    REPLACE`; inside the writer's upsert SQLite applies the outer statement's
    conflict handling to the trigger's inserts, so the REPLACE became an ABORT: a
    card whose e-mail went a -> b -> a -> b failed its fourth import on the row the
    second one had written. The trigger now deletes that row before inserting."""
    db.execute("DROP TRIGGER IF EXISTS records_former_values")
    db.execute(_M027_TRIGGER)    # one statement: run_script would split its body


_M027_TAKEN = """
        SELECT OLD.id AS record_id, f.field AS field, o.value ->> 'value' AS value
        FROM (SELECT 'emails' AS field UNION ALL SELECT 'phones') f
        JOIN json_each(OLD.data, '$.' || f.field) o
        WHERE o.type = 'object' AND coalesce(o.value ->> 'value', '') <> ''
          AND o.value ->> 'value' NOT IN (
              SELECT coalesce(n.value ->> 'value', '') FROM json_each(NEW.data, '$.' || f.field) n
              WHERE n.type = 'object')
        UNION ALL
        SELECT OLD.id, 'linkedin_url', OLD.data ->> 'linkedin_url'
        WHERE coalesce(OLD.data ->> 'linkedin_url', '')
              NOT IN ('', coalesce(NEW.data ->> 'linkedin_url', ''))"""

_M027_TRIGGER = f"""
CREATE TRIGGER records_former_values AFTER UPDATE OF data ON records
    WHEN OLD.data <> NEW.data AND json_valid(OLD.data) AND json_valid(NEW.data)
    BEGIN
        DELETE FROM record_former_values WHERE record_id = OLD.id
          AND (field, value) IN (SELECT field, value FROM ({_M027_TAKEN}));
        INSERT INTO record_former_values
        SELECT record_id, field, value, NEW.last_seen, NEW.last_run FROM ({_M027_TAKEN});
    END
"""


MIGRATIONS.append(("027_former_values_in_upserts", m027_former_values_in_upserts))
