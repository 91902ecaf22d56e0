"""One function per command: resolve the context, call the API, print.

Nothing here reads SQL or parses files; a command that grows logic belongs in
the API. Tables go to people, `--format json|csv` to programs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import api, directory
from ..errors import UsageError
from ..gcpause import gc_paused
from ..registry import registry
from ..report.departed import fate
from ..report.output import to_csv, to_json, to_json_rows, to_table
from . import context, importing, outfile, say
from .progress import ProgressBar

CONTACT_COLUMNS = [("id", "ID"), ("display_name", "NAME"), ("organization", "ORGANIZATION"),
                   ("emails", "EMAILS"), ("phones", "PHONES"), ("status", "STATUS"),
                   ("layer", "LAYER")]


def emit(args: argparse.Namespace, rows: list[dict[str, Any]],
         columns: list[tuple[str, str]]) -> None:
    fmt = getattr(args, "format", "table")
    if fmt == "json":
        sys.stdout.write(to_json(rows))
    elif fmt == "csv":
        sys.stdout.write(to_csv(rows, [key for key, _ in columns]))
    else:
        sys.stdout.write(to_table(rows, columns))


def cmd_import(args: argparse.Namespace) -> int:
    env = context.resolve(args, directory="write")
    args.paths = importing.unique_paths(args.paths)
    options = {"mapping": args.mapping} if args.mapping else None
    importing.check(args, options, env.settings, env.region)
    with ProgressBar("importing") as bar:
        results = api.import_paths(args.paths, db=env.db, connector=args.connector,
                                   source=args.source, options=options,
                                   settings=env.settings, region=env.region,
                                   progress=bar.update)
    for result in results:
        print(f"run {result.run}: {result.summary()}")
        if result.counts.get("rejected"):
            print(f"  see what could not be read: reseausync rejects --run {result.run}")
    return 0


def cmd_contacts(args: argparse.Namespace) -> int:
    env = context.resolve(args)
    with gc_paused():     # tens of thousands of rows, no cycles (gcpause.py)
        rows = directory.contacts(env.db, context.as_of(args), env.settings,
                                  search=args.search)
        rows = directory.filter_contacts(rows, status=args.status, layer=args.layer)
        emit_contacts(args, rows)
    return 0


def emit_contacts(args: argparse.Namespace, rows: list[dict[str, Any]]) -> None:
    """Tables show a few columns; JSON and CSV carry the whole INTERFACE.md shape."""
    public = [directory.public(r) for r in rows]
    if args.format == "csv":
        flat = [{**r, "sources": directory.source_refs(r)} for r in public]
        sys.stdout.write(to_csv(flat, directory.PUBLIC_KEYS))
    else:
        emit(args, public, CONTACT_COLUMNS)


def cmd_cold(args: argparse.Namespace) -> int:
    env = context.resolve(args)
    columns = [("id", "ID"), ("display_name", "NAME"), ("status", "STATUS"),
               ("group", "WHY"), ("first_collected", "COLLECTED"),
               ("last_interaction", "LAST ENGAGED")]
    with gc_paused():     # as cmd_contacts
        rows = directory.cold(env.db, context.as_of(args), env.settings)
        if args.format == "table":
            emit(args, rows, columns)
        else:
            emit_contacts(args, rows)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """A removed or merged id stays an error (exit 2, the message on stderr); with
    `--format json` its fate is also printed as JSON, for scripts (departed.py)."""
    env = context.resolve(args)
    try:
        detail = directory.show(env.db, args.id, context.as_of(args), env.settings)
    except UsageError:
        gone = fate(env.db, args.id) if args.format == "json" else None
        if gone is not None:
            sys.stdout.write(to_json(gone))
        raise
    if args.format == "json":
        sys.stdout.write(to_json(detail))
    else:
        sys.stdout.write(directory.render_show(detail))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """With -o, the file is replaced only by a complete export (outfile.py)."""
    if args.output == "-":                    # the usual spelling of stdout
        args.output = None
    if args.output is not None:
        outfile.check_target(args.output)     # a bad -o before the directory is read
    env = context.resolve(args)
    as_of = context.as_of(args)
    if args.output is None:
        directory.export(env.db, sys.stdout, args.format, as_of, env.settings,
                         vcard_version=args.vcard_version)
        return 0
    with outfile.replaced_on_success(args.output) as out:
        count = directory.export(env.db, out, args.format, as_of, env.settings,
                                 vcard_version=args.vcard_version)
    say(f"{count} contacts written to {args.output}")
    return 0


TABLE_RUNS = 1000     # plain `runs`: the most recent, as a terminal shows them anyway


def cmd_runs(args: argparse.Namespace) -> int:
    """The run history. Programs (`--format json|csv`) get every run; the table
    for people shows the TABLE_RUNS most recent unless `--last` says how many, and
    says so on stderr: a year of a 5-minute schedule is 300,000 lines nobody reads
    (QA S9: plain `runs` took ~10 s)."""
    env = context.resolve(args)
    last = args.last
    if args.format == "table" and last is None:
        last = TABLE_RUNS + 1          # one more: whether older runs were left out
    rows = api.runs(env.db, last=last)
    older = args.format == "table" and args.last is None and len(rows) > TABLE_RUNS
    if older:
        rows = rows[1:]
    columns = [("run", "RUN"), ("source", "SOURCE"), ("command", "COMMAND"),
               ("started", "STARTED"), ("status", "STATUS"), ("added", "ADDED"),
               ("updated", "UPDATED"), ("unchanged", "UNCHANGED"),
               ("removed", "REMOVED"), ("rejected", "REJECTED"), ("message", "MESSAGE")]
    if args.format == "json":
        keys = ("run", "source", "started", "finished", "status", "added", "updated",
                "unchanged", "removed", "rejected", "dry_run")
        sys.stdout.write(to_json_rows([{k: r[k] for k in keys} for r in rows]))
        return 0
    if args.format == "csv":     # every JSON key, for durations in a BI tool (QA6 #7)
        for r in rows:
            r["dry_run"] = "true" if r["dry_run"] else "false"
        columns.insert(4, ("finished", "FINISHED"))
        columns.append(("dry_run", "DRY RUN"))
    else:     # people read the status column: a dry run's counts changed nothing
        rows = [dict(r, status=f"{r['status']} (dry run)") if r["dry_run"] else r
                for r in rows]
    emit(args, rows, columns)
    if older:
        print(f"(the {TABLE_RUNS} most recent runs; older ones are not shown: `reseausync "
              "runs --last N` shows the N most recent, `--format csv` or `json` every run)",
              file=sys.stderr)
    return 0


def cmd_rejects(args: argparse.Namespace) -> int:
    env = context.resolve(args)
    rows = api.rejects(env.db, args.run)
    if args.format == "json":
        rows = [{k: r[k] for k in ("run", "source", "location", "reason")} for r in rows]
    emit(args, rows, [("run", "RUN"), ("source", "SOURCE"), ("location", "LOCATION"),
                      ("reason", "REASON")])
    return 0


def cmd_connectors(args: argparse.Namespace) -> int:
    for entry in registry.entries():
        text = entry.cls.description or next(iter((entry.cls.__doc__ or "").split("\n")), "")
        print(f"{entry.name:<14} {entry.distribution:<24} {text.strip()}")
    for name, error in sorted(registry.broken.items()):
        print(f"{name:<14} BROKEN: {error}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    env = context.resolve(args)
    rows = directory.review(env.db)
    emit(args, rows, [("a", "ID A"), ("a_name", "NAME A"), ("b", "ID B"),
                      ("b_name", "NAME B"), ("score", "SCORE"), ("reasons", "WHY")])
    if args.format == "table":    # programs: `show ID --format json`, merge.overrides
        lapsed = directory.lapsed_decisions(env.db)
        if lapsed:
            sys.stdout.write(directory.render_lapsed(lapsed))
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    env = context.resolve(args, directory="write")
    print(directory.decide(env.db, "link", args.a, args.b, env.settings, undo=args.undo))
    return 0


def cmd_split(args: argparse.Namespace) -> int:
    env = context.resolve(args, directory="write")
    print(directory.decide(env.db, "split", args.a, args.b, env.settings, undo=args.undo))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    env = context.resolve(args)
    data = directory.stats(env.db, context.as_of(args), env.settings)
    if args.format == "json":
        sys.stdout.write(to_json(data))
        return 0
    rows = stats_rows(data)
    extra = dict.fromkeys(k for r in rows for k in r if k not in ("dimension", "value", "count"))
    columns = [("dimension", "BY"), ("value", "VALUE"), ("count", "COUNT")]
    columns += [(k, k.upper()) for k in extra]
    if args.format == "csv":
        emit(args, rows, columns)
    else:
        sys.stdout.write(to_table(rows, columns))
    return 0


def stats_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """`stats` as rows for the table and CSV: the totals first (`total,contacts,N`,
    `total,not_collected,N`: the CSV left out how many were not collected yet, QA6
    #6), then one row per counted value. A by-source row's columns keep the API's
    order (contacts, then never_engaged, cold, cooling, engaged), not the alphabet."""
    rows: list[dict[str, Any]] = [{"dimension": "total", "value": key, "count": value}
                                  for key, value in data.items() if not isinstance(value, dict)]
    for dim, counts in data.items():
        if not isinstance(counts, dict):
            continue
        for key, value in counts.items():
            row = {"dimension": dim.removeprefix("by_"), "value": key}
            row.update(value if isinstance(value, dict) else {"count": value})
            rows.append(row)
    return rows


def cmd_unknown(args: argparse.Namespace) -> int:
    env = context.resolve(args)
    rows = directory.unknown(env.db)
    emit(args, rows, [("name", "NAME"), ("email", "EMAIL"), ("phone", "PHONE"),
                      ("linkedin_url", "LINKEDIN"), ("count", "SEEN"),
                      ("last_seen", "LAST SEEN")])
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    env = context.resolve(args, need_config=True, directory="write")
    from ..store.db import needs_upgrade
    from ..sync import sync_sources
    on_copy = args.dry_run and needs_upgrade(env.db)     # the file stays as it was
    results = sync_sources(env.settings, db=env.db, source=args.source, dry_run=args.dry_run,
                           allow_mass_removal=args.allow_mass_removal, region=env.region)
    failed = [r for r in results if r.status != "ok"]
    for result in results:
        print(f"run {result.run}: {result.summary()}")
    # stdout keeps the summary scripts parse; the reasons also go where every other
    # command's errors go, for cron setups that log or mail stderr only
    for result in failed:
        say(f"reseausync sync: error: run {result.run}: {result.source}: {result.reason}")
    if not args.source and not on_copy:
        _note_unconfigured(env)
    return 1 if failed else 0


def _note_unconfigured(env: context.Env) -> None:
    """A source taken out of the config keeps its records: say so on each sync."""
    from ..api import unconfigured_sources
    names = [s.name for s in env.settings.sources]
    for name, records, interactions in unconfigured_sources(env.db, names):
        print(f"reseausync sync: note: source {name!r} is no longer in the config; its "
              f"{records} record(s) and {interactions} interaction(s) stay in the directory "
              f"as last read (`reseausync sync --source {name} --allow-mass-removal` "
              "removes them)", file=sys.stderr)


def cmd_schedule(args: argparse.Namespace) -> int:
    env = context.resolve(args, need_config=True, directory="write")
    from ..schedule import Config, run_scheduler

    def reload() -> Config:
        """The config as the command line, the environment and the file say now:
        the schedule re-reads it when the file changes, or on SIGHUP."""
        again = context.resolve(args, need_config=True, directory="write")
        return Config(again.settings, again.db, again.region)

    return run_scheduler(env.settings, env.db, region=env.region, reload=reload)


def cmd_check(args: argparse.Namespace) -> int:
    env = context.resolve(args, need_config=True, directory="none")
    from ..sync import check_sources
    print(f"config {env.config_path}: valid")
    for warning in env.settings.engagement.unknown_rule_sources(
            {s.name for s in env.settings.sources}):
        print(f"  warning: {warning}")
    if env.db != ":memory:" and Path(env.db).is_file():   # no directory yet: nothing to say
        for line in directory.layer_check(env.db, env.settings):
            print(f"  {line}")
    bad = 0
    for name, ok, message in check_sources(env.settings, region=env.region):
        print(f"  {name}: {'ok' if ok else 'FAILED'} — {message}")
        bad += not ok
    return 1 if bad else 0


def cmd_publish(args: argparse.Namespace) -> int:
    env = context.resolve(args, need_config=True)
    if getattr(env.settings, "publish", None) is None:
        raise UsageError(f"{env.config_path}: no [publish] section",
                         hint="add a [publish] target (see config/reseausync.example.toml)")
    from ..publish import PublishInterrupted
    try:
        result = directory.publish(env.db, env.settings)
    except PublishInterrupted as exc:       # cards written so far stay: say so
        say(f"reseausync publish: interrupted{exc.how}; {exc}")
        return 1
    print(f"published: {result.created} created, {result.updated} updated, "
          f"{result.deleted} deleted, {result.unchanged} unchanged, "
          f"{len(result.conflicts)} conflicts, {len(result.errors)} refused")
    for line in result.conflicts:
        print(f"  conflict: {line}")
    for line in result.errors:
        print(f"  refused: {line}")
    return 0
