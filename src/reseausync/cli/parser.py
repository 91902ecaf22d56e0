"""The argument parser: every command of INTERFACE.md, each with --help.

`--db`, `--config` and `--region` are accepted before or after the command name
("on any command"), so they sit on a parent parser shared by every subcommand,
with SUPPRESS defaults so that a value given before the command is not reset.
"""

from __future__ import annotations

import argparse

FORMATS = ("table", "json", "csv")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH",
                        help="directory file (else $RESEAUSYNC_DB, the config, ./reseausync.db)")
    common.add_argument("--config", default=argparse.SUPPRESS, metavar="PATH",
                        help="config file (else $RESEAUSYNC_CONFIG, ./reseausync.toml)")
    common.add_argument("--region", default=argparse.SUPPRESS, metavar="CC",
                        help="country for phone numbers written without a country code")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="log what happens on stderr")
    return common


def _positive(text: str) -> int:
    """A count of at least 1: `--last 0` or `--last -3` is a typo, not "none"."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _format(p: argparse.ArgumentParser, choices: tuple[str, ...] = FORMATS) -> None:
    p.add_argument("--format", choices=choices, default="table")


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="reseausync", parents=[common],
        description="Many contact sources, one deduplicated directory, "
                    "and the contacts you collected but never engaged.")
    from .. import __version__
    parser.add_argument("--version", action="version", version=f"reseausync {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text)

    p = cmd("import", "one-off import of files, folders or zips")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--connector", metavar="NAME", help="connector to use (default: detected)")
    p.add_argument("--source", metavar="NAME", help="source name (default: the connector's)")
    p.add_argument("--mapping", metavar="NAME|PATH",
                   help="CSV column mapping (csv connector): a shipped name or a TOML file")

    p = cmd("sync", "run every configured source (or one), incrementally")
    p.add_argument("--source", metavar="NAME")
    p.add_argument("--dry-run", action="store_true", help="say what would change; change nothing")
    p.add_argument("--allow-mass-removal", action="store_true",
                   help="allow a run to remove more than sync.max_removal_share of a source")

    cmd("schedule", "run the configured sync jobs until SIGINT/SIGTERM")

    p = cmd("contacts", "the canonical directory")
    p.add_argument("--status", choices=("never_engaged", "cold", "cooling", "engaged"))
    p.add_argument("--layer",
                   choices=("personal", "professional", "extra_professional", "unknown"))
    p.add_argument("--search", metavar="TEXT", help="match names, emails, phones, organization")
    p.add_argument("--as-of", metavar="DATE", help="compute status as of DATE (YYYY-MM-DD)")
    _format(p)

    p = cmd("show", "one contact: fields with provenance, records, interactions, merges")
    p.add_argument("id")
    p.add_argument("--as-of", metavar="DATE")
    _format(p, ("table", "json"))

    p = cmd("cold", "contacts never engaged or gone cold, most actionable first")
    p.add_argument("--as-of", metavar="DATE")
    _format(p)

    p = cmd("review", "pairs that may be the same person, with the reasons")
    _format(p)
    p = cmd("link", "record that two contacts are the same person (kept for every run)")
    p.add_argument("a", metavar="ID")
    p.add_argument("b", metavar="ID")
    p.add_argument("--undo", action="store_true",
                   help="withdraw an earlier `link A B` (the same two ids)")
    p = cmd("split", "record that two contacts are never the same person")
    p.add_argument("a", metavar="ID")
    p.add_argument("b", metavar="ID")
    p.add_argument("--undo", action="store_true",
                   help="withdraw an earlier `split A B` (the same two ids)")

    p = cmd("export", "the canonical directory for other tools")
    p.add_argument("--format", choices=("vcf", "csv", "jsonl"), required=True)
    p.add_argument("--vcard-version", choices=("4.0", "3.0"), default="4.0")
    p.add_argument("-o", "--output", metavar="PATH", help="file to write (default: stdout)")
    p.add_argument("--as-of", metavar="DATE")

    p = cmd("runs", "the history of runs")
    p.add_argument("--last", type=_positive, metavar="N",
                   help="only the N most recent runs (oldest of them first)")
    _format(p)
    p = cmd("rejects", "what each run could not read")
    p.add_argument("--run", type=int, metavar="N")
    _format(p)
    cmd("connectors", "the registered connectors, built-in and third-party")
    cmd("publish", "write the canonical directory to the [publish] target")
    cmd("check", "validate the config and reach each source")
    p = cmd("stats", "counts by status, layer and source")
    p.add_argument("--as-of", metavar="DATE")
    _format(p)
    p = cmd("unknown", "people seen in interactions who match no contact")
    _format(p)
    return parser
