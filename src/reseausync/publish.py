"""Publish: write the canonical directory to a CardDAV address book.

A phone subscribed to that address book sees the cleaned, deduplicated
directory. The rules that make this safe to run unattended after every sync:

- Each contact becomes one card with a stable UID and file name derived from its
  id (`reseausync-<id>` / `reseausync-<id>.vcf`), so re-publishing updates in
  place instead of piling up copies.
- A new card is written with `If-None-Match: *`: if a card with that name is
  already there and we have no record of writing it, it is not ours; it is left
  alone and reported as a conflict.
- An update is written with `If-Match: <the ETag we got last time>`: a 412 means
  someone edited the card on the server since; we do not overwrite, we report
  the conflict and keep both sides (the server's card stays as edited, our
  record keeps our last ETag, and the next publish reports it again). Deleting
  the card on the server resolves the conflict in favour of the directory: the
  next publish writes it again.
- A contact that no longer exists is deleted with `If-Match`, same 412 rule.
- Only cards recorded in the `published` table (migration 002_publish) are ever
  updated or deleted: publish never touches cards it did not create.

Each card's row is written right after the server accepted it, so an
interrupted publish resumes without mistaking its own cards for foreign ones.
A new card's row is written once before its PUT too, with no ETag: the PUT that
Ctrl-C (or a crash) cut off may have been carried out without our hearing of it,
and that row tells the next publish that the card there is its own, to take over
(If-Match on its current ETag) instead of reporting it as someone else's for ever.
A create answered 412 at once removes that row again: that card is not ours.

Our records are checked against the server once per publish (one listing of the
book, `PublishTarget.listing`): a card we wrote that is no longer there (deleted on
the server, or the whole book deleted and created again: `publish` itself creates a
missing book) is written again as new, where a record alone would have counted it
unchanged for ever and left the phones with an empty book. A card whose ETag
changed on the server while the contact did not is sent with If-Match on our ETag,
so an edit made on the server is reported as a conflict at once, not only after the
contact next changes. A card the listing lacks is asked about alone before it is
written again (a server may cut a long listing short); so is a card listed without
an ETag (some servers give none in listings).

A server may store a card under a name of its own (Google's CardDAV: 201 +
Location): that name is recorded as the card's href, and a card's later writes go
there. Before any card is created, the book's cards we hold no record of are asked
for their UIDs (once per publish, only when a card is to be created): a card with
the contact's UID is never written again as a copy; it is taken over when we
recorded writing that contact, else left alone and reported as a conflict.

A card the server refuses (400, 413, a 403 precondition) is reported and the others
go on; when every write is refused as forbidden (a read-only book), publish stops
after READ_ONLY_AFTER of them and fails saying the book is read-only for this user.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .api import listed_contacts
from .connector import PublishTarget, WriteResult, open_publish_target
from .errors import ReseausyncError, Terminated
from .registry import registry
from .store import Store, now_iso

log = logging.getLogger(__name__)

SOURCE = "publish"


@dataclass
class PublishResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # cards the server refused (400, 413)


def card_uid(contact_id: str) -> str:
    """The UID (and file stem) of a contact's card: stable while the id is."""
    return f"reseausync-{contact_id}"


def publish(store: Store, target_options: dict[str, Any], *, password: str | None = None,
            contacts: list[dict[str, Any]] | None = None) -> PublishResult:
    """Write `contacts` (default: every live canonical contact) to the target.

    `target_options` is the `[publish]` table of the config; its `connector`
    (default carddav) is looked up in the registry like any source's, so the core
    names no connector. The password comes from `password`, else from the
    environment variable named by `password_env`.
    """
    opts = dict(target_options)
    cls = registry.get(opts.pop("connector", "carddav"))
    target = open_publish_target(cls, opts, password)
    try:
        job = _Job(store, target)
        wanted = listed_contacts(store) if contacts is None else list(_as_contacts(contacts))
        try:
            _run(job, wanted)
        except KeyboardInterrupt as stop:
            raise PublishInterrupted(job.result, isinstance(stop, Terminated)) from None
        except ReseausyncError as exc:
            raise _failed_part_way(exc, job.result) from exc
    finally:
        target.close()
    if job.read_only(1):
        raise _read_only(job)
    return job.result


# Writes refused as forbidden (HTTP 403), none accepted, after which a publish stops:
# the book is read-only for this user, and thousands more refusals say nothing new.
READ_ONLY_AFTER = 5


def _read_only(job: _Job) -> ReseausyncError:
    """Every write refused as forbidden: the book, not each card, is the problem
    (QA8 #3: a read-only book's 403 was called a wrong password)."""
    return ReseausyncError(
        f"publish: the address book {job.book} is read-only for this user: the server "
        f"refused every write, {job.forbidden} in all (first: {job.first_refusal})",
        hint="give this user write access to that book, or set [publish] url to a book "
             "it may write")


def _run(job: _Job, wanted: list[dict[str, Any]]) -> None:
    for contact in sorted(wanted, key=lambda c: c["id"]):
        job.write(contact)
        if job.read_only(READ_ONLY_AFTER):
            return
    live = {c["id"] for c in wanted}
    for row in job.rows():
        if row["contact_id"] not in live:
            job.remove(row)
            if job.read_only(READ_ONLY_AFTER):
                return


def _changes(done: PublishResult) -> str:
    """How many card changes the server confirmed, for a publish that stopped."""
    written = done.created + done.updated + done.deleted
    if not written:
        return "publish stopped before any card change was confirmed"
    return (f"publish stopped after {written} card change(s) ({done.created} created, "
            f"{done.updated} updated, {done.deleted} deleted), which are kept on the "
            "server and recorded")


def _failed_part_way(exc: ReseausyncError, done: PublishResult) -> ReseausyncError:
    """A publish the server failed part-way (still 500 after the retries): what was
    already changed on the server, and that a publish, not a sync, goes on from
    there (QA7 #7: "the next sync retries" after a manual publish, which a plain
    sync never does, and no word of the 149 cards already created)."""
    error = ReseausyncError(f"{exc}; {_changes(done)}",
                            hint="the server may be down or overloaded: run `reseausync "
                                 "publish` again later, it goes on from there (under "
                                 "`schedule`, a failed publish is retried by itself)")
    error.exit_code = exc.exit_code
    return error


class PublishInterrupted(KeyboardInterrupt):
    """Ctrl-C during a publish. Still a KeyboardInterrupt (a scheduler stops on it),
    but its message says what stays: each card is written and recorded on its own,
    so the cards written before the interrupt are on the server and the next
    publish goes on from there ("nothing was kept" would be false)."""

    def __init__(self, done: PublishResult, terminated: bool = False) -> None:
        super().__init__(f"{_changes(done)}; the next publish goes on from there")
        self.result = done
        self.how = " (SIGTERM)" if terminated else ""   # as `sync` says it (QA7 #7)


class _Job:
    """One publish run against one target."""

    def __init__(self, store: Store, target: PublishTarget) -> None:
        self.store = store
        self.target = target
        self.book = target.target_id
        self.result = PublishResult()
        self.known = {r["contact_id"]: r for r in self.rows()}
        self.listing: dict[str, str] | None = None   # the book's cards, read once
        self.listed = False
        self.by_uid: dict[str, str] | None = None    # UID -> href, cards not recorded
        self.forbidden = 0                           # writes refused as forbidden
        self.first_refusal = ""

    def read_only(self, after: int) -> bool:
        """Whether `after` or more writes were refused as forbidden, every write so
        far was, and none was accepted."""
        done = self.result.created + self.result.updated + self.result.deleted
        return (not done and self.forbidden >= after
                and self.forbidden == len(self.result.errors))

    def rows(self) -> list[Any]:
        return self.store.db.execute(
            "SELECT * FROM published WHERE target=? ORDER BY contact_id",
            (self.book,)).fetchall()

    def write(self, contact: dict[str, Any]) -> None:
        from reseausync.export.vcard import contact_to_vcard

        cid = contact["id"]
        uid = card_uid(cid)
        row = self.known.get(cid)
        # where the card is: as recorded (a server may have named it: QA8 #2)
        href = row["href"] if row is not None and row["href"] else (
            self.target.location_for(uid))
        text = contact_to_vcard(contact, version="3.0", uid=uid)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if (row is not None and row["etag"] and row["content_hash"] == digest
                and not row["conflict"]):
            listed, held = self._held(href)
            if not listed or (held is not None and same_etag(held, row["etag"])):
                self.result.unchanged += 1
                return
            if held is None:            # gone from the server: written again, as new
                if self._adopted(cid, href, uid, text, digest, row):
                    return
                self._settle(cid, href, uid, digest, row, self.target.put(href, text, None),
                             None)
                return
        if row is None or not row["etag"]:
            if self._adopted(cid, href, uid, text, digest, row):
                return
            answer, etag = self._create(cid, href, uid, text, digest, row), None
        else:
            etag = row["etag"]
            answer = self.target.put(href, text, etag)
            if answer.conflict and self.target.current_etag(href) is None:
                # Deleted on the server since our write: the directory's version returns.
                if self._adopted(cid, href, uid, text, digest, row):
                    return
                answer, etag = self.target.put(href, text, None), None
        self._settle(cid, href, uid, digest, row, answer, etag)

    def _settle(self, cid: str, href: str, uid: str, digest: str, row: Any,
                answer: WriteResult, etag: str | None) -> None:
        """Record and count one write's answer; `etag` None: it was a create."""
        if answer.error:
            self._refused(cid, answer)
            return
        if answer.conflict:
            self._conflict(cid, href, row, etag)
            return
        self._save(cid, answer.location or href, uid, answer.etag, digest)
        if etag is None:
            self.result.created += 1
        else:
            self.result.updated += 1

    def _refused(self, cid: str, answer: WriteResult) -> None:
        self.result.errors.append(f"{cid}: {answer.error}")
        self.forbidden += answer.forbidden
        self.first_refusal = self.first_refusal or answer.error

    def _adopted(self, cid: str, href: str, uid: str, text: str, digest: str,
                 row: Any) -> bool:
        """Whether the card was settled as found under another name: the book holds
        a card with this UID that we have no record of (a server that named our
        card itself, or an earlier publish's card whose answer was lost). Ours when
        we recorded writing this contact: taken over there; else left alone and
        reported. Never written again as a new card (QA8 #2)."""
        other = self._holder(uid, href)
        if other is None:
            return False
        if row is None:
            why = (f"{cid}: a card with this contact's UID is already on the server as "
                   f"{other} and was not written by this directory's publish; left "
                   "untouched")
            self.result.conflicts.append(why)
            log.warning("publish conflict: %s", why)
            return True
        log.info("publish: %s is on the server as %s; taken over there", cid, other)
        etag = (self.listing or {}).get(other) or self.target.current_etag(other) or ""
        if not etag or (row["content_hash"] == digest and row["etag"]
                        and same_etag(etag, row["etag"])):
            self._save(cid, other, uid, etag, row["content_hash"])
            self.result.unchanged += 1
            return True
        self._settle(cid, other, uid, digest, row, self.target.put(other, text, etag), etag)
        return True

    def _holder(self, uid: str, href: str) -> str | None:
        """The href of a card with `uid` that the book holds under another name than
        `href`, among the cards we hold no record of (their UIDs read once per
        publish, and only when a card is to be created)."""
        if not self._list():
            return None
        if self.by_uid is None:
            recorded = {r["href"] for r in self.rows()}
            unknown = sorted(h for h in self.listing if h not in recorded)
            found = self.target.uids(unknown) if unknown else {}
            self.by_uid = {}
            for where in sorted(found, reverse=True):       # the first name wins
                self.by_uid[found[where]] = where
        other = self.by_uid.get(uid)
        return other if other is not None and other != href else None

    def _list(self) -> dict[str, str] | None:
        """The book's cards (href -> ETag, "" when the server gave none), listed at
        the first card that needs it; None when the server will not list it."""
        if not self.listed:
            self.listing, self.listed = self.target.listing(), True
        return self.listing

    def _held(self, href: str) -> tuple[bool, str | None]:
        """(whether the server could tell, the card's ETag there or None when it is
        gone). The book is listed once per publish, at the first card that needs it;
        a card missing from the listing is asked about alone before it counts as
        gone, so a listing a server cut short never makes us re-create our cards."""
        listing = self._list()
        if listing is None:
            return False, None
        etag = listing.get(href)
        # "": listed without an ETag (QA8 #4): asked about alone, as a card not listed
        return True, etag if etag else self.target.current_etag(href)

    def _create(self, cid: str, href: str, uid: str, text: str, digest: str,
                row: Any) -> WriteResult:
        """Write a card we hold no ETag of. `row` is None for a card never sent, or
        the ETag-less row of a PUT an earlier publish sent and never heard back
        from: the card found there is then ours, taken over at its current ETag."""
        if row is None:
            self._save(cid, href, uid, "", digest)      # before the PUT: see module doc
        answer = self.target.put(href, text, None)
        if answer.conflict and row is not None:
            answer = self.target.put(href, text, self.target.current_etag(href))
        elif (answer.conflict or answer.error) and row is None:
            self._forget(cid)                           # nothing of ours is there
        return answer

    def _conflict(self, cid: str, href: str, row: Any, etag: str | None) -> None:
        if etag is None:
            why = (f"{cid}: {href} already exists on the server and was not written by "
                   "this directory's publish; left untouched")
        else:
            why = (f"{cid}: {href} was changed on the server since the last publish; "
                   "not overwritten (both versions kept)")
        self.result.conflicts.append(why)
        log.warning("publish conflict: %s", why)
        if row is not None:
            self._mark_conflict(cid, why)

    def _mark_conflict(self, cid: str, why: str) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE published SET conflict=? WHERE target=? AND contact_id=?",
                       (why, self.book, cid))

    def remove(self, row: Any) -> None:
        cid, href = row["contact_id"], row["href"]
        etag = row["etag"] or self.target.current_etag(href)   # "": a PUT unheard of
        if etag is None:
            self._forget(cid)                   # that PUT never reached the server
            return
        answer = self.target.delete(href, etag)
        if answer.error:
            self._refused(cid, answer)
            return
        if answer.conflict:
            why = (f"{cid}: {href} was changed on the server since the last publish; "
                   "not deleted although the contact no longer exists")
            self.result.conflicts.append(why)
            self._mark_conflict(cid, why)
            return
        self._forget(cid)
        self.result.deleted += 1

    def _forget(self, cid: str) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM published WHERE target=? AND contact_id=?",
                       (self.book, cid))

    def _save(self, cid: str, href: str, uid: str, etag: str, digest: str) -> None:
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO published (target, contact_id, href, uid, etag, content_hash, "
                "published_at, conflict) VALUES (?, ?, ?, ?, ?, ?, ?, '') "
                "ON CONFLICT (target, contact_id) DO UPDATE SET href=excluded.href, "
                "uid=excluded.uid, etag=excluded.etag, content_hash=excluded.content_hash, "
                "published_at=excluded.published_at, conflict=''",
                (self.book, cid, href, uid, etag, digest, now_iso()))


def same_etag(a: str, b: str) -> bool:
    """Whether two ETags name one version: a server may give a PUT's ETag and the
    listing's with or without the weak marker or the quotes."""
    return a.removeprefix("W/").strip('"') == b.removeprefix("W/").strip('"')


def _as_contacts(items: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Accept both {"id", **fields} and {"id", "data": {...}} shapes."""
    for item in items:
        if isinstance(item.get("data"), dict):
            yield {**item["data"], "id": item["id"]}
        else:
            yield item
