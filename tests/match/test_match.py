"""Comparisons as data, blocking keys, the chaining guard and EM on real-shaped data."""

from __future__ import annotations

import math

import pytest

from reseausync.match.blocking import phonetic, record_keys
from reseausync.match.compare import Comparator
from reseausync.match.comparisons import DEFAULT_COMPARISONS, Comparison, Level
from reseausync.match.engine import Engine
from reseausync.match.features import record_features
from reseausync.match.settings import MatchSettings
from reseausync.merge.clusters import cluster
from reseausync.normalize.nicknames import default_nicknames


def feats(rid: int, name: str, emails=(), phones=(), org: str = ""):
    data = {"display_name": name, "emails": [{"value": e} for e in emails],
            "phones": [{"value": p} for p in phones], "organization": org}
    return record_features(rid, data, "CA")


def levels(a, b) -> dict[str, str]:
    c = Comparator(DEFAULT_COMPARISONS, default_nicknames())
    return {k: v for k, v in c.explain(c.gamma(a, b)).items() if v != "missing"}


def test_comparisons_are_validated() -> None:
    with pytest.raises(ValueError, match="first level must be 'missing'"):
        Comparison("x", "given", (Level("exact", "exact"), Level("else", "else")))
    with pytest.raises(ValueError, match="known scorer"):
        Comparison("x", "given", (Level("missing", "missing"),
                                  Level("f", "fuzzy", "soundex", 0.9), Level("else", "else")))
    with pytest.raises(ValueError, match="unknown field"):
        Comparison("x", "shoe_size", (Level("missing", "missing"), Level("else", "else")))
    with pytest.raises(ValueError):
        MatchSettings(auto_merge=0.4, review=0.6)


def test_levels_reached() -> None:
    jf = feats(1, "Jean-François Tremblay", phones=("514 555 1234",))
    assert levels(jf, feats(2, "JF Tremblay")) == {"given_name": "nickname",
                                                 "family_name": "exact"}
    assert levels(jf, feats(2, "Tremblay, Jean Francois"))["given_name"] == "exact"
    assert levels(feats(1, "Pierre Tremblay"), feats(2, "Tremblay Pierre")) == {
        "given_name": "exact", "family_name": "exact"}
    assert levels(jf, feats(2, "J. Tremblay"))["given_name"] == "initials"
    assert levels(jf, feats(2, "Jean-Francois Trembley"))["family_name"] == \
        "jaro_winkler_0.92"
    assert levels(feats(1, "Kate O'Brien"), feats(2, "Catherine OBrien")) == {
        "given_name": "nickname", "family_name": "exact"}
    assert levels(jf, feats(2, "Lucas Tremblay", phones=("+1 514 555 1234",))) == {
        "given_name": "else", "family_name": "exact", "phone": "exact"}
    assert levels(feats(1, "Sophie Taipale"), feats(2, "Taipale Louis"))["given_name"] == "else"


def test_a_relative_written_family_first_is_not_read_as_the_same_given_name() -> None:
    # "Ronneugi Bill" once read as given "Ronneugi" agreed with "Ronneugi, Pierre"
    # on the given name and merged on their shared landline; read in the right
    # order the given names differ, which is what keeps relatives apart.
    bill = feats(1, "Ronneugi Bill", phones=("514 295 5790",))
    pierre = feats(2, "Ronneugi, Pierre", phones=("514-295-5790",))
    assert levels(bill, pierre) == {"given_name": "else", "family_name": "exact",
                                    "phone": "exact"}
    assert levels(feats(1, "Trumarra Michael"), feats(2, "M Trumarra")) == {
        "given_name": "initials", "family_name": "exact"}


def test_blocking_keys_survive_swaps_nicknames_and_typos() -> None:
    nick = default_nicknames()

    def shared(a, b) -> set[str]:
        return set(record_keys(a, nick)) & set(record_keys(b, nick))

    assert shared(feats(1, "Robert Chen"), feats(2, "Bob Chen"))
    assert shared(feats(1, "Jean-François Tremblay"), feats(2, "Tremblay, Jean-François"))
    assert shared(feats(1, "Jean-François Tremblay"), feats(2, "JF Tremblay"))
    assert shared(feats(1, "Élise Gagnon"), feats(2, "Elise Gagon"))
    assert phonetic("tremblay") == phonetic("trembley")
    assert not shared(feats(1, "Robert Chen"), feats(2, "Marie Tremblay"))


def test_chaining_guard_refuses_a_cluster_with_a_conflict() -> None:
    # 0 ~ 1 and 1 ~ 2 are strong links, but 0 and 2 conflict: 2 must stay out.
    conflicts = {(0, 2)}
    clusters, joined = cluster(3, [(0.99, 0, 1), (0.98, 1, 2)], [], set(),
                               lambda a, b: (min(a, b), max(a, b)) in conflicts)
    assert clusters.find(0) == clusters.find(1) != clusters.find(2)
    assert joined == [(0, 1)]
    # a user's split stops a merge; a user's link joins whole clusters
    clusters, _ = cluster(3, [(0.99, 0, 1)], [(1, 2)], {(0, 1)}, lambda a, b: False)
    assert clusters.find(0) != clusters.find(1) == clusters.find(2)


def test_em_learns_that_shared_contacts_mean_one_person() -> None:
    people = []
    for i in range(150):
        given, family = f"Given{i % 50}", f"Family{i}"
        people.append(feats(len(people), f"{given} {family}", emails=(f"p{i}@x.org",),
                            phones=(f"514 555 {1000 + i}",)))
        if i % 2:
            people.append(feats(len(people), f"{given} {family}", emails=(f"p{i}@x.org",),
                                phones=(f"+1 514 555 {1000 + i}",)))
    engine = Engine()
    blocks, _ = engine.block(people)
    compared = engine.gammas(people, blocks.pairs())
    model = engine.train(people, [g for _, _, g in compared])
    email = [c.name for c in DEFAULT_COMPARISONS].index("email")
    assert model.m[email][1] > 0.8          # matches share their email
    assert model.u[email][1] < 0.01         # strangers do not
    # Given1 names persons 1, 51 and 101, each with two records
    assert model.terms["names"]["given1"] == 6 and model.terms_total == len(people)
    decisions = {engine.judge(people[a], people[b], g)[1] for a, b, g in compared
                 if people[a].emails == people[b].emails}
    assert decisions == {"merge"}


def test_lambda_is_not_inflated_by_the_namesakes_a_name_block_brings_together() -> None:
    """600 people drawn from 8 given and 8 family names (about nine namesakes each),
    one in three with a second record that shares their phone. The blocks are full
    of namesakes whose name is all that is known of them; λ (the chance that two
    records drawn at random are one person) is estimated near its true value, not
    as the match share of the candidates, which took such pairs for matches."""
    import random
    rng = random.Random(7)
    people, entity = [], []
    for i in range(600):
        name = f"{rng.choice('ABCDEFGH')}given {rng.choice('ABCDEFGH')}family"
        phone = f"514 555 {1000 + i}"
        people.append(feats(len(people), name, phones=(phone,) if i % 2 else ()))
        entity.append(i)
        if i % 3 == 0:
            people.append(feats(len(people), name, phones=(phone,), org=f"Org{i}"))
            entity.append(i)
    engine = Engine()
    blocks, _ = engine.block(people)
    compared = engine.gammas(people, blocks.pairs())
    model = engine.train(people, [g for _, _, g in compared],
                         pairs=[(a, b) for a, b, _ in compared])
    n = len(people)
    true_lam = 200 / (n * (n - 1) / 2)
    assert true_lam / 2 < model.lam < true_lam * 2
    same = [engine.judge(people[a], people[b], g)[0] for a, b, g in compared
            if entity[a] == entity[b]]
    namesakes = [engine.judge(people[a], people[b], g)[0] for a, b, g in compared
                 if entity[a] != entity[b]]
    assert sum(p >= 0.9 for p in same) / len(same) > 0.4       # the shared phones
    assert sum(p >= 0.5 for p in namesakes) / len(namesakes) < 0.01


def test_an_organization_is_as_rare_as_its_share_of_the_records_that_have_one() -> None:
    """Two records agree on an organization only when both have one: Acme, at
    20 of the 40 records that name an employer, is a coin toss between two such
    records, not the one in five that counting all 100 records would make it."""
    people = [feats(i, f"Given{i} Family{i}", org=("Acme" if i % 2 else f"Org{i}")
                    if i < 40 else "") for i in range(100)]
    engine = Engine()
    model = engine.train(people, [])
    assert model.terms["org"]["acme"] == 20 and model.term_totals["org"] == 40
    assert model.term_totals["names"] == 100
    org = [c.name for c in DEFAULT_COMPARISONS].index("organization")
    k = next(k for k, (i, *_) in enumerate(engine.term_fields) if i == org)
    exact_u = model.u[org][1]
    assert engine.tf_adjustment(k, "acme") == pytest.approx(math.log2(exact_u / 0.5))


def test_an_initial_is_as_common_as_the_names_it_may_stand_for() -> None:
    """Two cards reading "N Morin" agree exactly on "n", a value written alone by
    two records of forty; but N is the initial of 12 of the 40 given names, and two
    namesakes share it that often."""
    names = ["Nathalie"] * 5 + ["Nicolas"] * 5 + ["N"] * 2 + [f"Given{i}" for i in range(28)]
    people = [feats(i, f"{given} Family{i}") for i, given in enumerate(names)]
    engine = Engine()
    model = engine.train(people, [])
    assert model.terms["initials"]["n"] == 12
    given = [c.name for c in DEFAULT_COMPARISONS].index("given_name")
    k = next(k for k, (i, *_) in enumerate(engine.term_fields) if i == given)
    assert engine.tf_adjustment(k, "n") == pytest.approx(math.log2(model.u[given][1] / 0.3))
    assert engine.tf_adjustment(k, "nathalie") == pytest.approx(
        math.log2(model.u[given][1] / (5 / 40)))


def test_a_typo_or_an_initial_weighs_no_more_than_the_exact_common_name() -> None:
    """Marie is common: two records agreeing on it say little. "Marue" / "Marie" (a
    typo level) and "M" / "Marie" (initials) said more, their levels carrying no
    term frequency; each now weighs at most what "Marie" / "Marie" weighs, and a
    typo of a rare name what the rare name does."""
    names = [f"Marie Family{i}" for i in range(30)] + [f"Given{i} Other{i}" for i in range(30)]
    names += ["Marie Hébert", "Marue Hébert", "M Hébert", "Zéphirin Hébert", "Zéphirn Hébert"]
    people = [feats(i, name) for i, name in enumerate(names)]
    engine = Engine()
    model = engine.train(people, [])
    level = [lv.label for lv in DEFAULT_COMPARISONS[0].levels].index("jaro_winkler_0.88")
    model.m[0][level], model.u[0][level] = 0.5, 0.001      # a typo level worth 9 bits
    engine.use(model)
    marie, marue, initial, zephirin, typo = people[-5:]

    def given(a, b) -> tuple[str, float]:
        level = engine.explain(a, b, engine.gamma(a, b))["given_name"]
        return level["level"], level["weight"]

    _, exact = given(marie, people[0])
    assert 0 < exact < 8.9
    assert given(marie, marue) == given(marue, marie) == ("jaro_winkler_0.88", exact)
    assert given(marie, initial)[0] == "initials" and given(marie, initial)[1] <= exact
    # a rare name's typo weighs what the rare name itself does, more than Marie
    rare = given(zephirin, feats(98, "Zéphirin Autre"))
    assert rare[0] == "exact" and given(zephirin, typo) == ("jaro_winkler_0.88", rare[1])
    assert rare[1] > exact
    twin = feats(99, "Marie Hébert")
    assert engine.judge(marie, marue, engine.gamma(marie, marue))[0] == \
        pytest.approx(engine.judge(marie, twin, engine.gamma(marie, twin))[0])


def test_a_model_of_an_older_recipe_is_estimated_again() -> None:
    import json

    from reseausync.match.model import Model
    people = [feats(i, f"Given{i} Family{i}", org="Acme") for i in range(10)]
    model = Engine().train(people, [])
    text = json.loads(model.to_json())
    assert Model.from_json(json.dumps(text), DEFAULT_COMPARISONS) == model
    del text["term_totals"]
    assert Model.from_json(json.dumps(text), DEFAULT_COMPARISONS) is None
    text = json.loads(model.to_json())
    text["recipe"] = 1                  # the same fields, estimated the older way
    assert Model.from_json(json.dumps(text), DEFAULT_COMPARISONS) is None


def test_blocks_give_every_pair_sharing_a_usable_key_once() -> None:
    from collections import defaultdict
    from itertools import combinations

    from reseausync.match.blocking import cap_of
    names = ["Marie Tremblay", "Marie Tremblay", "M. Tremblay", "Marie Tremblé", "Jean Roy",
             "Roy Jean", "Bob Chen", "Robert Chen", "Lucas Tremblay", "Marie Tremblay"]
    people = [feats(i, name, emails=(f"p{i % 4}@x.org",) if i % 3 else (),
                    phones=("514 555 0000",) if i in (1, 6, 8) else (), org="Acme" if i % 2 else "")
              for i, name in enumerate(names)]
    engine = Engine(MatchSettings(max_block=3, max_name_block=2))
    blocks, keys_of = engine.block(people)
    members = defaultdict(set)
    for p, keys in enumerate(keys_of):
        assert list(keys) == engine.keys(people[p])
        for k in keys:
            members[k].add(p)
    expected = {(a, b) for k, m in members.items() if len(m) <= cap_of(k, 3, 2)
                for a, b in combinations(sorted(m), 2)}
    got = list(blocks.pairs())
    assert len(got) == len(set(got)) and set(got) == expected
    assert expected and blocks.skipped == sum(1 for k, m in members.items()
                                              if len(m) > cap_of(k, 3, 2))


def test_employer_compares_one_cards_organization_with_the_others_work_domain() -> None:
    card = feats(1, "Samuel Lefebvre", org="Tohupointe Inc.")
    mail = feats(2, "Samuel Lefebvre", emails=("samuel.lefebvre@tohupointe.com",))
    assert levels(card, mail)["employer"] == "org_is_domain"
    elsewhere = feats(3, "Samuel Lefebvre", emails=("s.lefebvre@coveo.com",))
    assert levels(card, elsewhere)["employer"] == "else"
    # a mail provider is nobody's employer
    gmail = feats(4, "Samuel Lefebvre", emails=("slefebvre@gmail.com",))
    assert "employer" not in levels(card, gmail)
    # both name an organization: the organization comparison weighs it, once
    both = feats(5, "Samuel Lefebvre", emails=("samuel.lefebvre@tohupointe.com",),
                 org="Tohupointe")
    assert "employer" not in levels(card, both)
    # too short a name to read at the start of a domain
    assert levels(feats(6, "A B", org="CN"),
                  feats(7, "A B", emails=("a@cnrail.com",)))["employer"] == "else"
    # but a short name that is the whole domain is that employer: a card saying
    # "CN" and a CN mailbox do not disagree (an "else" here kept them apart)
    assert levels(feats(6, "A B", org="CN"),
                  feats(7, "A B", emails=("a.b@cn.com",)))["employer"] == "org_is_domain"
    assert levels(feats(6, "A B", org="CGI"),
                  feats(7, "A B", emails=("a.b@cgi.com",)))["employer"] == "org_is_domain"


def test_two_mailboxes_at_one_employer_reach_same_domain() -> None:
    a = feats(1, "Marie Tremblay", emails=("marie.tremblay@acme.com",))
    b = feats(2, "Marie Tremblay", emails=("marie.tremblay2@acme.com",))
    assert levels(a, b)["email"] == "same_domain"
    c = feats(3, "Marie Tremblay", emails=("mtremblay@gmail.com",))
    d = feats(4, "Marie Tremblay", emails=("marie.t@gmail.com",))
    assert levels(c, d)["email"] == "else"


def test_a_work_and_a_personal_address_do_not_by_themselves_keep_two_records_apart() -> None:
    # A person's work card and personal card hold different addresses; that is not
    # the strong evidence of two people that two different phones or profiles are.
    engine = Engine()
    work = feats(1, "Jean Ssonberko", emails=("jean.ssonberko@tinron.com",))
    home = feats(2, "Jean Ssonberko", emails=("jssonberko1861@gmail.com",))
    assert not engine.conflict(work, home)


def test_a_typo_in_a_name_at_one_employer_still_blocks() -> None:
    nick = default_nicknames()
    a = feats(1, "Jean Bertchardrdy", org="Dretru Group")
    b = feats(2, "Jean Bertcharddry", org="Dretru Group")
    assert set(record_keys(a, nick)) & set(record_keys(b, nick))
    c = feats(3, "Maire Gagnon", org="Ubisoft")
    d = feats(4, "Marie Gagnon", org="Ubisoft")
    assert set(record_keys(c, nick)) & set(record_keys(d, nick))


def test_an_employer_named_by_its_organization_or_its_mail_domain_blocks() -> None:
    # A common name's own blocks are too large to use; at one employer it is small
    # again, whether a card names the employer or a work address does.
    nick = default_nicknames()

    def employer_keys(a, b) -> set[str]:
        return {k for k in set(record_keys(a, nick)) & set(record_keys(b, nick))
                if k.startswith("w:")}

    card = feats(1, "Catherie Tremblay", phones=("514 304 7117",), org="Walneri Ltée")
    mail = feats(2, "Catherine Tremblay", emails=("catherine.tremblay1@walneriltee.com",))
    assert employer_keys(card, mail)
    bank = feats(3, "Mathieu Levesque", org="Banque Nationale")
    assert employer_keys(bank, feats(4, "M Lévesque", emails=("ml@banquenation.com",)))
    # the same name at another employer, or at a mail provider, does not meet there
    assert not employer_keys(card, feats(5, "Catherine Tremblay", org="Nimbus Labs"))
    assert not employer_keys(mail, feats(6, "C Tremblay", emails=("ctremblay@gmail.com",)))


def test_two_mailboxes_at_one_employer_are_a_conflict() -> None:
    engine = Engine()
    a = feats(1, "Marie Bouchard", emails=("marie.bouchard@aircanada.com",), org="Air Canada")
    b = feats(2, "Marie Bouchard", emails=("marie.bouchard5@aircanada.com",), org="Air Canada")
    assert engine.conflict(a, b)


def test_another_employer_in_an_unlikely_pair_stops_a_chain() -> None:
    engine = Engine()
    a = feats(1, "Jean Trulanpa", org="Toronsson Labs")
    b = feats(2, "J Trulanpa", org="Bertmivil")
    assert engine.conflict(a, b)
    # the same two employers in a pair that shares a phone: a job change, no conflict
    c = feats(3, "Jean Trulanpa", phones=("514 924 2975",), org="Toronsson Labs")
    d = feats(4, "Jean Trulanpa", phones=("514 924 2975",), org="Bertmivil")
    assert not engine.conflict(c, d)


def test_a_typo_in_the_formal_name_still_meets_its_nickname() -> None:
    assert levels(feats(1, "Thmoas Bergeron"), feats(2, "Tom Bergeron")) == {
        "given_name": "nickname", "family_name": "exact"}
    # a name the table knows is never corrected into another one
    assert levels(feats(1, "Mario Bergeron"), feats(2, "Marie Bergeron"))["given_name"] != \
        "nickname"


def test_one_letter_wrong_in_a_given_name_is_a_typo_not_another_person() -> None:
    def given(typed: str) -> str:
        return levels(feats(1, f"{typed} Gawalvak"), feats(2, "Jean Gawalvak"))["given_name"]
    assert given("Jeln") == "osa_0.75"      # Jaro-Winkler scores it below its threshold
    assert given("Jaen") == "jaro_winkler_0.88"
    assert given("Jen") == "else"           # a name of its own (Jennifer), not a typo
    assert levels(feats(1, "Maxeme Berhu"), feats(2, "Maxime Berhu"))["given_name"] == \
        "osa_0.75"
    assert levels(feats(1, "Adrew Blais"), feats(2, "Andrew Blais"))["given_name"] == \
        "jaro_winkler_0.88"


@pytest.mark.parametrize("one, other", [
    ("Louis", "Louise"), ("Jean", "Jeanne"), ("Daniel", "Danielle"), ("Michel", "Michelle"),
    ("François", "Françoise"), ("Marie", "Mario"), ("Simon", "Simone"),
    ("Marie-Claude", "Marie-France")])
def test_two_close_given_names_both_known_are_two_people(one: str, other: str) -> None:
    # a couple sharing the landline: close spellings, two names
    c = Comparator(DEFAULT_COMPARISONS, default_nicknames())
    gamma = c.gamma(feats(1, f"{one} Tremblay", phones=("514 555 1234",)),
                    feats(2, f"{other} Tremblay", phones=("514 555 1234",)))
    assert c.explain(gamma)["given_name"] == "else"
    assert c.conflict(gamma)


def test_spellings_of_one_name_and_the_initial_of_another_form_agree() -> None:
    assert levels(feats(1, "Philip Roy"), feats(2, "Philippe Roy"))["given_name"] == "nickname"
    assert levels(feats(1, "Natalie Roy"), feats(2, "Nathalie Roy"))["given_name"] == "nickname"
    assert levels(feats(1, "Marie Roy"), feats(2, "Marie-Ève Roy"))["given_name"] == "first_word"
    # compound initials with a vowel are not read as initials: the table names them
    assert levels(feats(1, "AM Côté"), feats(2, "Anne-Marie Côté"))["given_name"] == "nickname"
    # "C. Caron" may be Kate Caron (a Catherine), "B." William (a Bill); not "P."
    assert levels(feats(1, "C Caron"), feats(2, "Kate Caron"))["given_name"] == "initials"
    assert levels(feats(1, "B Dubé"), feats(2, "William Dubé"))["given_name"] == "initials"
    assert levels(feats(1, "P Dubé"), feats(2, "William Dubé"))["given_name"] == "else"


def test_one_mailbox_at_an_organization_outweighs_a_misspelt_given_name() -> None:
    c = Comparator(DEFAULT_COMPARISONS, default_nicknames())
    # two letters wrong: too far to be read as a typo, so the names disagree
    work = c.gamma(feats(1, "Jwln Gawalvak", emails=("jean.gawalvak@acme.com",)),
                   feats(2, "Jean Gawalvak", emails=("Jean.Gawalvak@acme.com",)))
    assert c.explain(work)["given_name"] == "else"
    assert c.explain(work)["email"] == "exact_work"
    assert not c.conflict(work)
    # a family's shared address at a mail provider decides nothing: two relatives
    family = c.gamma(feats(1, "Lucas Tremblay", emails=("famille.tremblay@videotron.ca",)),
                     feats(2, "Nathalie Tremblay", emails=("famille.tremblay@videotron.ca",)))
    assert c.explain(family)["email"] == "exact"
    assert c.conflict(family)
    # nor does a role mailbox
    role = c.gamma(feats(1, "Lucas Roy", emails=("info@acme.com",)),
                   feats(2, "Nathalie Roy", emails=("info@acme.com",)))
    assert c.conflict(role)


def test_two_phones_in_a_pair_that_would_not_merge_on_its_own_stop_a_chain() -> None:
    # Two namesakes at one employer with their own phones: a pair the user would be
    # asked to review must not be joined through a third record.
    a = feats(1, "Catherine Tremblay", phones=("450 543 2713",), org="Gihu Conseil")
    b = feats(2, "Catherine Tremblay", phones=("514 739 4717",), org="Gihu Conseil")
    probability = Engine().judge(a, b, Engine().gamma(a, b))[0]
    assert 0 < probability < 0.5
    strict = Engine(MatchSettings(auto_merge=probability * 2, review=probability / 4))
    assert strict.conflict(a, b)
    lenient = Engine(MatchSettings(auto_merge=probability / 2, review=probability / 4))
    assert not lenient.conflict(a, b)
