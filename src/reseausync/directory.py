"""The read side of the directory: contacts as of a date, one contact in detail,
exports, and the user's link/split decisions.

Status and layer are never stored: they depend on the as-of date and the config,
so they are computed by the engagement stage each time contacts are read. This
module composes the stages for the CLI; it holds no matching or engagement logic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from contextvars import ContextVar
from datetime import date
from typing import IO, Any

from . import engagement
from .api import listed_contacts, load_contacts, open_store, writer_lock
from .errors import UsageError
from .gcpause import gc_paused
from .normalize.phones import normalize_phone
from .normalize.text import fold, name_order
from .report.output import cell_text, local_time, to_csv, to_jsonl
from .report.visible import visible
from .sqlbatch import chunks, marks

PUBLIC_KEYS = ("id", "display_name", "given_name", "family_name", "emails", "phones",
               "organization", "title", "linkedin_url", "status", "layer",
               "first_collected", "last_interaction", "interaction_count", "sources")
ANALYSIS_KEYS = PUBLIC_KEYS + ("tie_strength", "last_attempt", "layer_rule", "categories")
_PHONE_LIKE = re.compile(r"\+?[\d\s().\-]*\d[\d\s().\-]*")


def contacts(db: str, as_of: date, settings: Any = None, *,
             search: str | None = None) -> list[dict[str, Any]]:
    """The directory as it stood on `as_of`: contacts collected later are left out,
    and so is the owner (flag `me`), who is never their own contact. `search` keeps
    the contacts whose name, organization, title, profile, emails or phones hold it
    (filter_contacts), or a name one of their live records gives, when they have
    more than one (record_holders),
    before their engagement is worked out: a search of 200,000 contacts annotates
    the few it finds. The cyclic garbage collector waits (gcpause.py): the contacts
    and their annotations are acyclic, and its passes over them were a quarter of
    the command's time at 33,000 contacts (callers that print them wait too)."""
    with open_store(db) as store, gc_paused():
        rows = listed_contacts(store)
        if search:
            merged = [r["id"] for r in rows if len(r.get("sources") or ()) > 1]
            rows = filter_contacts(rows, search=search,
                                   region=getattr(settings, "region", None),
                                   holders=record_holders(store, search, merged))
        rows = engagement.annotate(store, rows, as_of, settings)
        rows = [r for r in rows if r.get("collected_as_of", True)]
        return sorted(rows, key=_name_order)


def _name_order(row: dict[str, Any]) -> tuple[str, str, str]:
    """Alphabetical as a reader expects (QA6 analysis #8)."""
    return name_order(row.get("display_name") or "")


def public(row: dict[str, Any]) -> dict[str, Any]:
    """The contact as INTERFACE.md promises it: exactly these keys."""
    out = {key: row.get(key) for key in PUBLIC_KEYS}
    out["sources"] = [{k: s.get(k) for k in ("source", "connector", "external_id", "locator")}
                      for s in row.get("sources", [])]
    return out


def source_refs(row: dict[str, Any]) -> list[str]:
    """A contact's records as `source:external_id`, the reference `show`, `link` and
    `split` take: what a CSV's `sources` cell holds (`contacts` and `export` alike),
    so each row can be joined back to the records it was built from."""
    return [f"{s['source']}:{s['external_id']}" for s in row.get("sources") or ()]


def filter_contacts(rows: list[dict[str, Any]], *, status: str | None = None,
                    layer: str | None = None, search: str | None = None,
                    region: str | None = None,
                    holders: set[str] | frozenset[str] = frozenset()) -> list[dict]:
    """The rows of `status` and `layer` that `search` finds in their canonical
    values, or whose id is among `holders` (found in their records)."""
    if status:
        rows = [r for r in rows if r.get("status") == status]
    if layer:
        rows = [r for r in rows if r.get("layer") == layer]
    if search:
        needle = fold(search)     # the matcher's folding: accents, case, punctuation
        phone = _phone_needle(search, region)
        rows = [r for r in rows if r["id"] in holders or needle in fold(_haystack(r))
                or (phone and any(phone in p for p in r.get("phones", ())))]
    return rows


# The live records of some contacts: each one's contact and the names it gives,
# as a JSON list extracted by SQLite, which parses the record's JSON once for all
# of them (five extractions parsed it five times). Their emails and phones are
# not needed: the contact's own lists keep every one of its records' values.
_RECORD_NAMES = """
SELECT cr.contact_id, json_extract(r.data, '$.display_name', '$.given_name', '$.middle_name',
                                   '$.family_name', '$.nickname')
FROM contact_records cr JOIN records r ON r.id = cr.record_id
WHERE r.removed_at IS NULL AND cr.contact_id IN ({})
"""
_NOT_PLAIN = frozenset("'`\\")      # apostrophes fold away; a backslash is a JSON escape


def record_holders(store: Any, search: str, contacts: Sequence[str]) -> set[str]:
    """Those of `contacts` one of whose live records bears a name holding `search`,
    folded as filter_contacts folds it: a contact shows one name but is found by
    every name its records give it (Julie Morin, whose phone card and LinkedIn
    profile say Julie Lavoie since she married), as the engagement linker already
    knows her by them (ContactIndex._add_member_names). The caller passes the
    contacts of more than one record (a single record's name is the contact's).
    Decoding and folding every record's names would cost about a second per
    100,000 records: a plain ASCII list (no apostrophe, no escape) that lacks a
    word of the search is passed over on its lower-case text, since folding only
    lowers it and splits it at what is not a letter or digit."""
    needle = fold(search)
    if not needle:
        return set()
    words = needle.split()
    found: set[str] = set()
    for batch in chunks(contacts):
        for cid, names in store.db.execute(_RECORD_NAMES.format(marks(batch)), batch):
            if cid not in found and names and _names_hold(names, needle, words):
                found.add(cid)
    return found


def _names_hold(names: str, needle: str, words: list[str]) -> bool:
    """Whether the JSON list `names` holds the folded `needle` (its `words`)."""
    if names.isascii() and _NOT_PLAIN.isdisjoint(names):
        lower = names.lower()
        if not all(w in lower for w in words):
            return False
    return needle in fold(" ".join(n for n in json.loads(names) if isinstance(n, str)))


def _phone_needle(search: str, region: str | None) -> str:
    """A search written like a phone number, normalized as stored phones are.

    Phones are stored in E.164 ("+15145551234"); folding "(514) 555-1234" gives
    "514 555 1234", which no stored number holds. So a query of only digits and
    the characters numbers are written with is also normalized with the
    directory's region (to E.164 when it can be placed, else its digits, a part
    of a number included) and looked for in the phones. "" for any other query."""
    if not _PHONE_LIKE.fullmatch(search.strip()):
        return ""
    return normalize_phone(search, region)


def _haystack(row: dict[str, Any]) -> str:
    parts = [row.get("display_name"), row.get("organization"), row.get("title"),
             row.get("linkedin_url"), *row.get("emails", []), *row.get("phones", [])]
    return " ".join(p for p in parts if p)


def cold(db: str, as_of: date, settings: Any = None) -> list[dict[str, Any]]:
    return engagement.cold_contacts(contacts(db, as_of, settings))


def resolve_ref(store: Any, ref: str) -> str:
    """A contact id, or a record reference `source:external_id`, to a live contact id
    (the same references `link` and `split` take). The id of a contact merged into
    another, by the user's link or by the matcher, is refused with the contact it
    went to: a script holding the old id is told where its person is now."""
    from .merge.overrides import link_naming, merged_into, named
    try:
        found = named(store, ref)
    except UsageError:
        found = None
    if found is not None and not found.merged:
        return found.contact
    target = merged_into(store, ref)
    if target is not None:
        cid, when = target
        link = link_naming(store, ref)
        if link:
            how = f"by your `reseausync link {link[2]} {link[3]}`"
            undo = f"; `reseausync link --undo {link[2]} {link[3]}` gives it back"
        else:
            how, undo = _merge_cause(store, cid, ref), ""
        raise UsageError(f"contact {ref!r} was merged into {cid} on {when} {how}",
                         hint=f"see `reseausync show {cid}`{undo}")
    gone = store.db.execute("SELECT removed_at FROM contacts WHERE id=? AND "
                            "removed_at IS NOT NULL", (ref,)).fetchone()
    if gone:
        raise UsageError(f"contact {ref!r} was removed on {gone[0][:10]}: its records "
                         "left their sources", hint="a record that comes back brings "
                         "the contact back with this id; `reseausync runs` shows "
                         "what each run removed")
    raise UsageError(f"no contact with id {ref!r}",
                     hint="list ids with `reseausync contacts` or `reseausync review`")


def _merge_cause(store: Any, cid: str, ref: str) -> str:
    """Why a contact was merged into `cid`, when the user did not link its id: the
    matcher, or a link naming records of `cid`."""
    from .merge.overrides import live_records
    held = live_records(store, cid)
    for a_ref, b_ref, side in store.db.execute(
            "SELECT o.a_ref, o.b_ref, group_concat(DISTINCT m.side) FROM overrides o "
            "JOIN override_records m ON m.override_id = o.id WHERE o.kind='link' AND "
            f"m.record_id IN ({','.join('?' * len(held))}) GROUP BY o.id ORDER BY o.id DESC",
            sorted(held)):
        if side and "," in side:      # both sides of the link are in the contact
            return f"by your `reseausync link {a_ref} {b_ref}` or by the matcher"
    if _derived_within(store, held, ref):
        return "by the matcher: its records and that contact's are one person"
    # QA7 #1: a link since withdrawn, whose side did not get its id back, is no
    # matcher's merge: say only where the records are
    return "by the matcher or by a link since withdrawn"


def _derived_within(store: Any, held: set[int], ref: str) -> bool:
    """Whether one of the records `held` (or a record it succeeded) derives the
    contact id `ref`: the merged contact's own record is in the contact now."""
    from .merge.ids import Lineage
    rids = sorted(held)
    return bool(rids) and Lineage(store.db, rids).derives(range(len(rids)), ref)


def show(db: str, ref: str, as_of: date, settings: Any = None) -> dict[str, Any]:
    from . import merge
    with open_store(db) as store:
        cid = resolve_ref(store, ref)
        (row,) = load_contacts(store, [cid])
        annotated = engagement.annotate(store, [row], as_of, settings)[0]
        records = _member_records(store, cid)
        detail = public(annotated)
        explained = engagement.explain_engagement(store, cid, as_of, settings)
        detail.update({
            "fields": _fields_with_provenance(annotated, records),
            "records": records,
            "engagement": explained,
            "merge": _with_bindings(store, merge.explain(store, cid)),
            "tie_strength": annotated.get("tie_strength"),
            "layer_rule": explained["layer_rule"],      # null when no rule decided
            "layer_reason": explained["layer_reason"],
            "flags": annotated.get("flags", []),
        })
    return detail


def _with_bindings(store: Any, explanation: dict[str, Any]) -> dict[str, Any]:
    """Each link of `explanation` with `binds`: whether records of both its sides are
    among the contact's live records. A link typed with an id that now names another
    person, one waiting for a side's record to come back, or one an older release
    stored without its records joins nothing here (QA6 #2: `show` said "linked by
    you: one person" of a contact of one record)."""
    held = {r["record"] for r in explanation.get("records") or []}
    for decision in explanation.get("overrides") or []:
        if decision.get("kind") != "link":
            continue
        sides: dict[int, set[int]] = {0: set(), 1: set()}
        for side, rid in store.db.execute(
                "SELECT m.side, m.record_id FROM overrides o JOIN override_records m "
                "ON m.override_id = o.id WHERE o.kind='link' AND o.a_ref=? AND o.b_ref=?",
                (decision.get("a"), decision.get("b"))):
            sides[side].add(rid)
        decision["binds"] = bool(sides[0] & held and sides[1] & held)
    return explanation


def _member_records(store: Any, cid: str) -> list[dict[str, Any]]:
    rows = store.db.execute(
        "SELECT r.id, r.source, r.connector, r.external_id, r.locator, r.collected_at, "
        "r.first_seen, r.removed_at, r.data FROM records r JOIN contact_records cr "
        "ON cr.record_id=r.id WHERE cr.contact_id=? ORDER BY r.id", (cid,)).fetchall()
    out = []
    for r in rows:
        data = json.loads(r["data"])
        extra = data.get("extra") or {}
        out.append({"record": r["id"], "source": r["source"], "connector": r["connector"],
                    "external_id": r["external_id"], "locator": r["locator"],
                    "collected_at": r["collected_at"], "first_seen": r["first_seen"],
                    "removed_at": r["removed_at"],
                    "name": data.get("display_name") or " ".join(
                        x for x in (data.get("given_name"), data.get("family_name")) if x),
                    "confidence": extra.get("confidence"),
                    "low_confidence": extra.get("low_confidence")})
    return out


SHOWN_FIELDS = ("display_name", "given_name", "middle_name", "family_name", "prefix",
                "suffix", "nickname", "organization", "org_units", "title",
                "linkedin_url", "emails", "phones", "addresses", "categories", "urls",
                "note", "birthday", "photo", "contact_person", "related", "anniversary",
                "gender", "impp", "social_profiles")
"""Every canonical value `show` lists with its records: all that export and publish
write, and the photo. A phone is shown with its extension and label, an e-mail with
its label ("+14185550142 ext. 2210 (work)"), as an address is; a relative, a
messaging account or a profile with what its card said of it (`_extra_text`)."""


def _fields_with_provenance(row: dict[str, Any], records: list[dict]) -> list[dict]:
    """Each canonical value with the source record(s) that gave it; every value is
    text (an address on one line). A contact stored before its addresses had a
    provenance shows them from no record until it is built again."""
    by_id = {r["record"]: r for r in records}
    prov = row.get("provenance") or {}
    fields = []
    for name in SHOWN_FIELDS:
        value = row.get(name)
        if not value:
            continue
        origin = prov.get(name)
        if name == "addresses":
            per = origin if isinstance(origin, list) else []
            pairs = [(address_text(a), per[i] if i < len(per) else [])
                     for i, a in enumerate(value)]
        else:
            pairs = [(_value_text(name, v, row),
                      origin.get(_key(v), []) if isinstance(origin, dict)
                      else (origin if isinstance(origin, list) else [origin] if origin else []))
                     for v in (value if isinstance(value, list) else [value])]
        for v, ids in pairs:
            where = [f"{by_id[i]['source']}:{by_id[i]['locator']}" for i in ids if i in by_id]
            fields.append({"field": name, "value": str(v), "from": where})
    return fields


def _key(value: Any) -> Any:
    """A value's key in its provenance map: a relative, an account or a profile
    (a dict) by its "value"."""
    return value.get("value") if isinstance(value, dict) else value


def _extra_text(value: dict[str, Any]) -> str:
    """"Marie Roy (spouse)", "skype:jean.roy (Skype, home)", "F, femme", a contact
    person's name: a dict kept from a card, on one line."""
    if "value" in value:
        said = ", ".join(str(value[k]) for k in ("service", "label", "user") if value.get(k))
        return f"{value['value']}{f' ({said})' if said else ''}"
    if "sex" in value or "identity" in value:
        return ", ".join(str(value[k]) for k in ("sex", "identity") if value.get(k))
    return " ".join(str(value[k]) for k in ("prefix", "given_name", "middle_name",
                                             "family_name", "suffix") if value.get(k))


def _value_text(name: str, value: Any, row: dict[str, Any]) -> Any:
    """A phone with its extension and label, an e-mail with its label, a dict kept
    from a card as `_extra_text` says; any other value as it is."""
    if isinstance(value, dict):
        return _extra_text(value)
    if name not in ("phones", "emails"):
        return value
    label = (row.get(name[:-1] + "_labels") or {}).get(value)
    ext = (row.get("phone_extensions") or {}).get(value) if name == "phones" else ""
    return f"{value}{f' ext. {ext}' if ext else ''}{f' ({label})' if label else ''}"


def address_text(address: dict[str, Any]) -> str:
    """An address on one line, as a person writes it: "1 rue X, Montréal, QC H2X 1Y1,
    Canada (work)"."""
    get = address.get
    street = ", ".join(line.strip() for line in str(get("street") or "").splitlines()
                       if line.strip())
    place = " ".join(str(x) for x in (get("region"), get("postal_code")) if x)
    parts = [p for p in (street, str(get("locality") or ""), place, str(get("country") or ""))
             if p]
    label = get("label")
    return ", ".join(parts) + (f" ({label})" if label else "")


def render_show(detail: dict[str, Any]) -> str:
    lines = [f"{detail['display_name']}  ({detail['id']})",
             f"  status: {detail['status']}   layer: {detail['layer']}"
             f" ({cell_text(detail.get('layer_rule') or detail.get('layer_reason'))})"
             "   tie strength: "
             f"{cell_text(detail.get('tie_strength'))}", "", "Fields"]
    for f in detail["fields"]:
        value = " ".join(f["value"].split())     # a note's lines on one table line
        lines.append(f"  {f['field']:<13} {value:<40} from {', '.join(f['from']) or '?'}")
    lines += ["", "Records"]
    for r in detail["records"]:
        gone = "  [removed]" if r["removed_at"] else ""
        conf = ""
        if r.get("low_confidence"):
            conf = f"  low confidence: {', '.join(r['low_confidence'])}"
        lines.append(f"  {r['source']:<12} {r['external_id']:<40} {r['locator']}{gone}{conf}")
    lines += ["", "Why these records are one person"]
    lines += _render_merge(detail.get("merge") or {})
    lines += ["", "Engagement"]
    lines += _render_engagement(detail.get("engagement") or {})
    return "\n".join(visible(line) for line in lines) + "\n"    # imported text: no ESC, no bidi


_DECISION_WORDS = {"link": "linked by you (`reseausync link`): one person",
                   "split": "split by you (`reseausync split`): never one person"}


def _decision_words(decision: dict[str, Any]) -> str:
    """A decision in words; a link from the records it binds here (_with_bindings)."""
    kind = decision.get("kind", "")
    if kind == "link" and not decision.get("binds", True):
        return ("your link (`reseausync link`) joins no records of this contact: its ids "
                "name other records now, or one side has none left in its sources")
    return _DECISION_WORDS.get(kind, kind)


def _render_merge(explanation: dict[str, Any]) -> list[str]:
    """The user's own link/split decisions first: they, not the matcher's score,
    are why a linked pair is one contact (a link often joins a pair the matcher
    only sent to review), so the scores below them are shown for reference."""
    out = [f"  {o.get('a')} and {o.get('b')}: {_decision_words(o)}"
           + (f" — no longer holds: {' and '.join(o['left'])} left (`reseausync "
              f"{o.get('kind')} --undo {o.get('a')} {o.get('b')}` withdraws it)"
              if o.get("left") else "")
           for o in explanation.get("overrides") or []]
    pairs = explanation.get("pairs") or []
    if not pairs:
        if not any(o.get("kind") == "link" and o.get("binds", True)
                   for o in explanation.get("overrides") or []):
            out.append("  a single record" if len(explanation.get("records", [])) <= 1
                       else "  (no pair explanation stored)")
        return out
    if out:
        out.append("  the matcher's scores, for reference:")
    for pair in pairs:
        out.append(f"  {pair.get('a_ref', pair.get('a'))} ~ {pair.get('b_ref', pair.get('b'))}: "
                   f"{pair.get('decision', '')} (score {cell_text(pair.get('score'))})")
        for level in pair.get("levels", []) or []:
            out.append(f"      {cell_text(level)}")
    return out


SHOWN_INTERACTIONS = 30     # the newest, in the table; JSON has every one


def _layer_lines(info: dict[str, Any]) -> list[str]:
    """"layer personal by rule personal-category: Friends", then the rules it
    outweighed; "layer unknown: no rule matched" when none decided."""
    if not info.get("layer_rule"):
        reason = info.get("layer_reason")
        return [f"  layer {info.get('layer')}: {reason}"] if reason else []
    values = ", ".join(info.get("layer_values") or [])
    lines = [f"  layer {info.get('layer')} by rule {info['layer_rule']}"
             + (f": {values}" if values else "")]
    for other in info.get("layer_outweighed") or []:
        lines.append(f"    also held, outweighed: {other['rule']} ({other['layer']}): "
                     f"{', '.join(other['values'])}")
    return lines


def _render_engagement(info: dict[str, Any]) -> list[str]:
    out = []
    if info.get("status_reason"):
        out.append(f"  {info['status']}: {info['status_reason']}")
    tie = info.get("tie_strength")
    if isinstance(tie, dict):
        out.append(f"  tie strength {tie.get('score')}: recency {tie.get('recency')}, "
                   f"frequency {tie.get('frequency')}, reciprocity {tie.get('reciprocity')}")
    out += _layer_lines(info)
    items = info.get("interactions", [])
    if len(items) > SHOWN_INTERACTIONS:     # oldest first: the newest decide the status
        out.append(f"  … {len(items) - SHOWN_INTERACTIONS} earlier interactions "
                   "(`--format json` lists them all)")
    for item in items[-SHOWN_INTERACTIONS:]:
        sources = "+".join([item.get("source", ""), *item.get("also_in", ())])
        shown = local_time(item.get("occurred_at", ""), item.get("written_as", ""))
        out.append(f"  {shown:<22}  {item.get('kind', ''):<14} "
                   f"{item.get('direction', ''):<5} {sources:<12} "
                   f"{item.get('counts_as', '')}: {item.get('why', '')}")
    return out or ["  no interactions"]


def export(db: str, out: IO[str], fmt: str, as_of: date, settings: Any = None,
           vcard_version: str = "4.0") -> int:
    with gc_paused():     # as `contacts`: every row is written, and none is a cycle
        rows = contacts(db, as_of, settings)
        if fmt != "vcf":
            return _export(rows, out, fmt, vcard_version)
        from .export.vcard import photo_lookup
        with open_store(db) as store:   # the photos, one card's at a time (QA8 #1)
            token = _PHOTOS.set(photo_lookup(store.db))
            try:
                return _export(rows, out, fmt, vcard_version)
            finally:
                _PHOTOS.reset(token)


# The vCard export's photo lookup (export.vcard.photo_lookup), set only while the
# store it reads is open.
_PHOTOS: ContextVar[Any] = ContextVar("export_photos", default=None)


def _export(rows: list[dict[str, Any]], out: IO[str], fmt: str, vcard_version: str) -> int:
    if fmt == "vcf":
        from .export.vcard import contacts_to_vcf

        for card in contacts_to_vcf(rows, vcard_version, _PHOTOS.get()):
            out.write(card)
    elif fmt == "jsonl":
        for line in to_jsonl({k: r.get(k) for k in ANALYSIS_KEYS} for r in rows):
            out.write(line)
    elif fmt == "csv":
        flat = [{**r, "sources": source_refs(r)} for r in rows]
        out.write(to_csv(flat, ANALYSIS_KEYS))
    else:
        raise UsageError(f"unknown export format {fmt!r}", hint="use vcf, csv or jsonl")
    return len(rows)


def review(db: str) -> list[dict[str, Any]]:
    """Pairs still waiting for the user (merge.review_pairs): a pair already linked
    or split is decided."""
    from . import merge
    with open_store(db) as store:
        return merge.review_pairs(store)


def layer_check(db: str, settings: Any) -> list[str]:
    """`check`'s lines about the layer rules against the directory: a warning for
    each rule of the user's that holds for no contact (a misspelt category, a
    domain nobody has), with the directory's close categories; then, as
    information, the categories no rule names (their contacts' layer comes from
    other evidence)."""
    from .engagement.layers import compile_rules, rule_use
    from .engagement.status import contact_facts
    engage = settings.engagement
    user = compile_rules(engage.layers)
    # `check` changes nothing: an older directory is read from an upgraded copy,
    # so the release still in cron can write it afterwards (review7 #1)
    with open_store(db, dry_run=True) as store:
        ids = [row["id"] for row in listed_contacts(store)]
        facts, _ = contact_facts(store, ids, "9999-12-31")
    use = rule_use(facts.values(), user, compile_rules(engage.layer_rules()),
                   engage.webmail())
    lines = []
    for rule in user:
        if use.matched[rule.name]:
            continue
        close = use.near(rule)
        hint = f" (the directory has {', '.join(map(repr, close))})" if close else ""
        lines.append(f"warning: layer rule {rule.name!r} matches no contact of the "
                     f"directory {db}{hint}")
    if use.unnamed:
        listed = sorted(use.unnamed.values(), key=lambda x: (-x[1], fold(x[0])))
        lines.append("note: categories of the directory that no layer rule names: "
                     + ", ".join(f"{name!r} ({count})" for name, count in listed))
    return [visible(line) for line in lines]


def lapsed_decisions(db: str) -> list[dict[str, Any]]:
    """The user's decisions that no longer hold (merge/overrides.lapsed): `review`
    lists them after the pairs, so a decision that stopped acting is seen."""
    from dataclasses import asdict

    from .merge.overrides import lapsed
    with open_store(db) as store:
        return [dict(asdict(x), undo=x.undo) for x in lapsed(store)]


def render_lapsed(rows: list[dict[str, Any]]) -> str:
    """The lapsed decisions for people: the records each side named, which side
    left, the contact still holding the other, and the command that withdraws it."""
    lines = ["", "Your decisions that no longer hold (every record of one side left "
             "its source; a record that comes back binds it again):"]
    for row in rows:
        lines.append(f"  {row['kind']} {row['a_ref']} {row['b_ref']}: "
                     f"{' and '.join(row['gone'])} left")
        for ref in (row["a_ref"], row["b_ref"]):
            for rec in row["records"][ref]:
                state = f"removed {rec['removed']}" if rec["removed"] else "live"
                side = "" if rec["ref"] == ref else f"{ref}: "
                lines.append(f"    {side}{rec['ref']}  {rec['name']}  ({state})")
        if row["holders"]:
            lines.append(f"    still held by {', '.join(row['holders'])}")
        lines.append(f"    withdraw it: {row['undo']}; or decide again with the "
                     "records left")
    return "\n".join(visible(line) for line in lines) + "\n"


def decide(db: str, kind: str, a: str, b: str, settings: Any = None, *,
           undo: bool = False) -> str:
    from . import merge
    with writer_lock(db, kind, settings), open_store(db) as store:
        from .engagement.linking import link_interactions
        from .engagement.summary import refresh as refresh_summaries
        if undo:
            merge.undo(store, kind, a, b, settings)
            message = (f"withdrew your {kind} of {a} and {b}: the matcher decides for them "
                       "again")
        elif kind == "link":
            merge.link(store, a, b, settings)
            message = f"linked {a} and {b}: they are one contact from now on"
        else:
            merge.split(store, a, b, settings)
            message = f"split {a} and {b}: they will never be merged again"
        if not undo:
            message += _decided_contacts(store, kind, a, b)
        with store.transaction():       # contact ids moved: interactions follow them
            link_interactions(store, settings)
            refresh_summaries(store, settings)
        return message


def _decided_contacts(store: Any, kind: str, a: str, b: str) -> str:
    """The contact ids a decision left, after the rebuild: " (c1)" for a link, " (now
    c1 and c2)" for a split, so the user knows the split-off part's id (QA7 #4)."""
    from .merge.overrides import holders
    sa, sb = holders(store, kind, a, b)
    ids = list(dict.fromkeys(sa + sb))
    if not ids:
        return ""
    if kind == "link":
        return f" ({', '.join(ids)})"
    return f" (now {', '.join(sa) or '-'} and {', '.join(sb) or '-'})"


def stats(db: str, as_of: date, settings: Any = None) -> dict[str, Any]:
    with open_store(db) as store, gc_paused():
        rows = engagement.annotate(store, listed_contacts(store), as_of, settings)
        return engagement.stats(store, rows)


def unknown(db: str) -> list[dict[str, Any]]:
    with open_store(db) as store:
        return engagement.unknown_people(store)


def publish(db: str, settings: Any) -> Any:
    """Publish to the `[publish]` target; the target reads its own password from the
    variable its `password_env` names, as a source does."""
    from .publish import publish as publish_directory
    section = settings.publish
    target = {"connector": section.connector, **section.effective_options()}
    with writer_lock(db, "publish", settings), open_store(db) as store:
        return publish_directory(store, target)
