"""The command line as scripts and cron jobs use it: exit codes, exact error
texts, JSON shapes from INTERFACE.md, idempotent imports, export round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PHONE, SAMPLES, run_cli

CONTACT_KEYS = {"id", "display_name", "given_name", "family_name", "emails", "phones",
                "organization", "title", "linkedin_url", "status", "layer",
                "first_collected", "last_interaction", "interaction_count", "sources"}



def test_import_twice_reports_everything_unchanged(imported: str) -> None:
    again = run_cli("import", PHONE, "--db", imported)
    assert again.returncode == 0
    assert " 0 added, 0 updated, " in again.stdout
    runs = json.loads(run_cli("runs", "--db", imported, "--format", "json").stdout)
    assert runs[1]["unchanged"] == runs[0]["added"] > 0
    assert set(runs[0]) == {"run", "source", "started", "finished", "status", "added",
                            "updated", "unchanged", "removed", "rejected", "dry_run"}
    assert runs[0]["dry_run"] is False


def test_contacts_json_has_the_interface_shape(imported: str) -> None:
    # No --as-of: the directory was filled today, and its undated cards are
    # collected from the moment it first saw them, not on any earlier date.
    out = run_cli("contacts", "--db", imported, "--format", "json")
    assert out.returncode == 0, out.stderr
    contacts = json.loads(out.stdout)
    assert contacts and all(set(c) == CONTACT_KEYS for c in contacts)
    for c in contacts:
        assert c["status"] in {"never_engaged", "cold", "cooling", "engaged"}
        assert all(p.startswith("+") for p in c["phones"]), c["phones"]  # --region CA
        assert {"source", "connector", "external_id", "locator"} == set(c["sources"][0])


def test_rejects_json_has_location_and_reason(imported: str) -> None:
    rejects = json.loads(run_cli("rejects", "--db", imported, "--format", "json").stdout)
    assert rejects, "the sample phone book holds a broken card"
    assert set(rejects[0]) == {"run", "source", "location", "reason"}
    assert "phone.vcf:" in rejects[0]["location"]


def test_export_vcf_then_import_gives_the_same_contacts(imported: str, tmp_path: Path) -> None:
    vcf = tmp_path / "out.vcf"
    assert run_cli("export", "--format", "vcf", "-o", str(vcf), "--db", imported).returncode == 0
    fresh = str(tmp_path / "fresh.db")
    assert run_cli("import", str(vcf), "--db", fresh).returncode == 0

    def people(db: str) -> set[tuple]:
        out = run_cli("contacts", "--db", db, "--format", "json")
        return {(c["display_name"], tuple(sorted(c["emails"])), tuple(sorted(c["phones"])),
                 c["organization"]) for c in json.loads(out.stdout)}

    assert people(fresh) == people(imported)


def test_export_csv_neutralises_formulas(tmp_path: Path) -> None:
    vcf = tmp_path / "evil.vcf"
    vcf.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:=HYPERLINK(\"http://x\")\r\n"
                   "N:;=HYPERLINK(\"http://x\");;;\r\nEMAIL:evil@example.com\r\nEND:VCARD\r\n")
    db = str(tmp_path / "d.db")
    assert run_cli("import", str(vcf), "--db", db).returncode == 0
    out = run_cli("export", "--format", "csv", "--db", db).stdout
    assert "'=HYPERLINK" in out and "\n=HYPERLINK" not in out and ",=HYPERLINK" not in out


def test_export_csv_leaves_phone_numbers_as_they_are(imported: str) -> None:
    import csv
    import io
    out = run_cli("export", "--format", "csv", "--db", imported).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    phones = [r["phones"] for r in rows if r["phones"]]
    assert "+15145551234" in phones and all(p.startswith("+") for p in phones), phones
    contacts = run_cli("contacts", "--db", imported, "--format", "csv").stdout
    assert "'+" not in contacts and ",+15145551234," in contacts


def test_show_names_where_each_value_came_from(imported: str) -> None:
    contacts = json.loads(run_cli("contacts", "--db", imported, "--format", "json").stdout)
    target = next(c for c in contacts if c["emails"])
    out = run_cli("show", target["id"], "--db", imported)
    assert out.returncode == 0, out.stderr
    assert target["emails"][0] in out.stdout and "phone.vcf:" in out.stdout


def test_unknown_connector_is_usage_error(tmp_path: Path) -> None:
    out = run_cli("import", PHONE, "--connector", "vcrad", "--db", str(tmp_path / "d.db"))
    assert out.returncode == 2
    assert "error: unknown connector 'vcrad'" in out.stderr and "next step:" in out.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    for named in (("--connector", "vcard"), ()):
        out = run_cli("import", str(tmp_path / "gone.vcf"), *named, "--db", str(db))
        assert out.returncode == 2, out.stderr
        assert "gone.vcf: no such file or folder" in out.stderr
        assert "Traceback" not in out.stderr
    assert not db.exists()                      # no failed run recorded for a typo


def test_a_damaged_zip_or_an_empty_folder_is_named_as_such(tmp_path: Path) -> None:
    damaged = tmp_path / "export.zip"
    damaged.write_bytes(b"PK\x03\x04garbage" * 10)
    out = run_cli("import", str(damaged), "--db", str(tmp_path / "d.db"))
    assert out.returncode == 2 and f"{damaged}: not a valid zip" in out.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    out = run_cli("import", str(empty), "--db", str(tmp_path / "d.db"))
    assert out.returncode == 2 and f"{empty}: the folder is empty" in out.stderr


def test_unknown_format_is_usage_error(tmp_path: Path) -> None:
    odd = tmp_path / "notes.xyz"
    odd.write_text("hello")
    out = run_cli("import", str(odd), "--db", str(tmp_path / "d.db"))
    assert out.returncode == 2 and "no connector recognises" in out.stderr


def test_bad_as_of_date_is_usage_error(imported: str) -> None:
    out = run_cli("contacts", "--db", imported, "--as-of", "yesterday")
    assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr


def test_show_unknown_id_is_usage_error(imported: str) -> None:
    out = run_cli("show", "cnope", "--db", imported)
    assert out.returncode == 2 and "no contact with id 'cnope'" in out.stderr


def test_every_command_has_help() -> None:
    for command in ("import", "sync", "schedule", "contacts", "show", "cold", "review", "link",
                    "split", "export", "runs", "rejects", "connectors", "publish", "check",
                    "stats", "unknown"):
        out = run_cli(command, "--help")
        assert out.returncode == 0 and "usage: reseausync" in out.stdout, command


def test_without_a_region_national_numbers_stay_digits(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    assert run_cli("import", PHONE, "--db", db, env={"LANG": "C"}).returncode == 0
    phones = [p for c in json.loads(run_cli("contacts", "--db", db, "--format", "json",
                                            env={"LANG": "C"}).stdout) for p in c["phones"]]
    assert "5145551234" in phones or "+15145551234" in phones
    assert all(p.isdigit() or p.startswith("+") for p in phones)


def test_contacts_csv_carries_every_interface_column(imported: str) -> None:
    import csv
    import io
    out = run_cli("contacts", "--db", imported, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and set(rows[0]) == CONTACT_KEYS
    assert all(r["sources"].startswith("vcard:") for r in rows)


def test_review_split_and_link_are_kept(imported: str) -> None:
    pairs = json.loads(run_cli("review", "--db", imported, "--format", "json").stdout)
    couple = next(p for p in pairs if {p["a_name"], p["b_name"]} ==
                  {"Lucas Tremblay", "Nathalie Tremblay"})
    done = run_cli("split", couple["a"], couple["b"], "--db", imported)
    assert done.returncode == 0, done.stderr
    after = json.loads(run_cli("review", "--db", imported, "--format", "json").stdout)
    assert all({p["a"], p["b"]} != {couple["a"], couple["b"]} for p in after)
    refused = run_cli("link", couple["a"], couple["b"], "--db", imported)
    assert refused.returncode == 2 and "contradicts the earlier split" in refused.stderr
    missing = run_cli("link", "cnope", couple["a"], "--db", imported)
    assert missing.returncode == 2 and "'cnope'" in missing.stderr


def test_link_merges_and_survives_a_reimport(imported: str) -> None:
    def count() -> int:
        return len(json.loads(run_cli("contacts", "--db", imported, "--format", "json").stdout))

    contacts = json.loads(run_cli("contacts", "--db", imported, "--format", "json").stdout)
    maries = [c["id"] for c in contacts if c["display_name"] == "Marie Tremblay"]
    lucas = next(c["id"] for c in contacts if c["display_name"] == "Lucas Tremblay")
    before = count()
    assert run_cli("link", maries[0], lucas, "--db", imported).returncode == 0
    assert count() == before - 1
    assert run_cli("import", PHONE, "--db", imported, "--region", "CA").returncode == 0
    assert count() == before - 1


def test_unknown_lists_people_met_but_not_in_the_directory(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    log = str(SAMPLES / "interactions.csv")
    assert run_cli("import", PHONE, log, "--db", db, "--region", "CA").returncode == 0
    unknown = json.loads(run_cli("unknown", "--db", db, "--format", "json").stdout)
    emails = {u["email"] for u in unknown}
    assert "julie.bergeron@mila.quebec" in emails        # met at a 5 à 7, never added
    assert "mike.rossi@outlook.com" not in emails         # in the phone book


def test_a_search_finds_what_filtering_the_whole_directory_finds(imported: str) -> None:
    """The search runs before engagement is worked out, on contacts loaded without
    their provenance; what it finds, and how each is annotated, is unchanged."""
    from reseausync import directory
    from reseausync.api import load_contacts, open_store
    from reseausync.engagement import today
    as_of = today()      # the import was today: an earlier date lists its undated cards
    everyone = directory.contacts(imported, as_of)
    assert everyone
    for text in ("tremblay", "ELISE", "514", "acme", "nobody at all"):
        assert directory.contacts(imported, as_of, search=text) == \
            directory.filter_contacts(everyone, search=text)
    with open_store(imported) as store:
        whole = load_contacts(store)
        (one,) = load_contacts(store, [whole[3]["id"]])
        light = load_contacts(store, provenance=False)
    assert one == whole[3] and "provenance" in one
    assert light == [{k: v for k, v in c.items() if k != "provenance"} for c in whole]


def test_search_ignores_accents_case_and_punctuation(imported: str) -> None:
    def names(text: str) -> set[str]:
        out = run_cli("contacts", "--db", imported, "--format", "json", "--search", text)
        return {c["display_name"] for c in json.loads(out.stdout)}

    assert names("ELISE") == {"Élise Gagnon"}
    assert names("jean francois") == names("Jean-François") == {"Jean-François Tremblay"}
    assert names("jf.tremblay@acme") == {"Jean-François Tremblay"}


def test_a_region_that_is_not_a_country_code_is_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    done = run_cli("import", PHONE, "--db", str(db), "--region", "XYZ")
    assert done.returncode == 2, done.stderr
    assert ("import: error: --region: 'XYZ' is not an ISO country code such as 'CA' or 'FR'"
            in done.stderr)
    done = run_cli("import", PHONE, "--db", str(db), env={"RESEAUSYNC_REGION": "Canada"})
    assert done.returncode == 2
    assert "RESEAUSYNC_REGION: 'Canada' is not an ISO country code" in done.stderr
    assert not db.exists()
    # --region comes first: a valid one makes a bad variable irrelevant
    done = run_cli("import", PHONE, "--db", str(db), "--region", "ca",
                   env={"RESEAUSYNC_REGION": "Canada"})
    assert done.returncode == 0, done.stderr


def test_import_mapping_mistakes_are_usage_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    google = str(SAMPLES / "google.csv")
    unknown = run_cli("import", "--mapping", "nosuch", google, "--db", db)
    assert unknown.returncode == 2 and "error: unknown mapping 'nosuch'" in unknown.stderr
    missing = run_cli("import", "--mapping", str(tmp_path / "no.toml"), google, "--db", db)
    assert missing.returncode == 2 and "no.toml: cannot read the mapping" in missing.stderr
    vcf = run_cli("import", "--mapping", "google", PHONE, "--db", db)
    assert vcf.returncode == 2, vcf.stderr
    assert ("error: --mapping applies to the csv connector only; "
            f"{PHONE} is read by the vcard connector") in vcf.stderr
    assert "pydantic" not in vcf.stderr and "extra_forbidden" not in vcf.stderr
    assert not Path(db).exists()          # nothing was run, so no failed run recorded
    good = run_cli("import", "--mapping", "google", google, "--db", db)
    assert good.returncode == 0 and "3 added" in good.stdout


def test_import_of_a_carddav_url_says_to_configure_a_source(tmp_path: Path) -> None:
    for named in (("--connector", "carddav"), ()):
        done = run_cli("import", *named, "http://127.0.0.1:9/x/", "--db", str(tmp_path / "d.db"))
        assert done.returncode == 2, done.stderr
        assert ("http://127.0.0.1:9/x/: the carddav connector runs only as a source of the "
                "config") in done.stderr
        assert "[[sources]]" in done.stderr and "Field required" not in done.stderr


def test_sync_failures_are_also_on_stderr(tmp_path: Path) -> None:
    config = tmp_path / "cfg.toml"
    config.write_text('[directory]\npath = "s.db"\n[[sources]]\nname = "phone"\n'
                      'connector = "vcard"\npath = "missing.vcf"\n[[sources]]\nname = "ok"\n'
                      f'connector = "vcard"\npath = "{PHONE}"\n')
    done = run_cli("sync", "--config", str(config))
    assert done.returncode == 1
    assert "phone: 0 added" in done.stdout and "FAILED: " in done.stdout
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith("reseausync sync: error: run 1: phone: ")
    assert "missing.vcf: no such file or folder" in errors[0]


def test_a_path_given_twice_is_read_once(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    once = run_cli("import", PHONE, "--db", db)
    fresh = str(tmp_path / "fresh.db")
    twice = run_cli("import", PHONE, "./samples/phone.vcf", "--db", fresh, cwd=SAMPLES.parent)
    assert twice.returncode == 0, twice.stderr
    assert twice.stdout == once.stdout          # same counts: 1 reject (the broken card)
    assert " 1 rejected" in twice.stdout


@pytest.mark.parametrize("written", ["(514) 555-1234", "514-555-1234", "+1 514 555 1234",
                                     "+15145551234", "555-1234"])
def test_search_finds_a_phone_number_as_the_user_writes_it(imported: str, written: str) -> None:
    out = run_cli("contacts", "--db", imported, "--format", "json", "--search", written,
                  "--region", "CA")
    assert [c["display_name"] for c in json.loads(out.stdout)] == ["Jean-François Tremblay"]


def test_a_phone_search_without_a_region_matches_the_digits(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    assert run_cli("import", PHONE, "--db", db, env={"LANG": "C"}).returncode == 0
    out = run_cli("contacts", "--db", db, "--format", "json", "--search", "(514) 555-1234",
                  env={"LANG": "C"})
    assert [c["display_name"] for c in json.loads(out.stdout)] == ["Jean-François Tremblay"]


def test_show_says_a_merge_is_the_users_link(imported: str) -> None:
    """Daniel and Danielle Roy share a landline: a pair the matcher sends to review.
    Once the user links them, the link is the reason shown, the score for reference."""
    pairs = json.loads(run_cli("review", "--db", imported, "--format", "json").stdout)
    roy = next(p for p in pairs if {p["a_name"], p["b_name"]} == {"Daniel Roy", "Danielle Roy"})
    assert run_cli("link", roy["a"], roy["b"], "--db", imported).returncode == 0
    after = json.loads(run_cli("contacts", "--db", imported, "--format", "json").stdout)
    (merged,) = [c["id"] for c in after if c["id"] in (roy["a"], roy["b"])]
    table = run_cli("show", merged, "--db", imported).stdout
    why = table[table.index("Why these records are one person"):table.index("Engagement")]
    assert f"{roy['a']} and {roy['b']}: linked by you (`reseausync link`)" in why
    assert why.index("linked by you") < why.index("for reference") < why.index("(score ")


def test_show_of_a_single_record_with_a_split_says_both(imported: str) -> None:
    pairs = json.loads(run_cli("review", "--db", imported, "--format", "json").stdout)
    pair = pairs[0]
    assert run_cli("split", pair["a"], pair["b"], "--db", imported).returncode == 0
    table = run_cli("show", pair["a"], "--db", imported).stdout
    assert "split by you (`reseausync split`)" in table and "a single record" in table


def test_rejects_of_a_run_that_does_not_exist_is_an_error(imported: str) -> None:
    """QA: `rejects --run 999` printed "(none)", exit 0: a mistyped run number read
    as "nothing was rejected"."""
    done = run_cli("rejects", "--run", "999", "--db", imported)
    assert done.returncode == 2 and "no run 999" in done.stderr
    assert run_cli("rejects", "--run", "1", "--db", imported).returncode == 0
