"""Skills compared by meaning: near-synonym skills share a family of kin and meet in the fit,
for less than the same skill would give; kin is never essential nor named as a skill.

The cast: alice can "lift heavy weights"; the removals job asks "apply various lifting
techniques" (ESCO's near-synonym, one family); the office job asks "use spreadsheets software"
(another family). alice meets the removals job, not the office one."""

import pytest

from matching.engine.skillspace import KIN, SkillSpace, kin_of, with_kin
from tests.matching.test_engine import alice, run, vacancy, vacancy_ids

LIFT_HEAVY = "esco:ab2bb44a-3956-4028-8715-8b70b1960b99"  # lift heavy weights
LIFTING = "esco:d8f9f767-9eea-4b51-89b8-9d49976977e0"  # apply various lifting techniques


def test_near_synonyms_share_a_family_and_a_text_phrase_has_none():
    assert kin_of(LIFT_HEAVY) == kin_of(LIFTING) is not None
    assert kin_of("text:heavy lifting") is None
    assert with_kin([LIFT_HEAVY, LIFTING]) == [LIFT_HEAVY, LIFTING, kin_of(LIFTING)]


def test_a_near_synonym_is_a_match_for_less_than_the_same_skill():
    seeker = alice(skills=(LIFT_HEAVY,))
    removals = vacancy(1, skills=(LIFTING,), essential_skills=())
    same = vacancy(2, skills=(LIFT_HEAVY,), essential_skills=())
    office = vacancy(3, skills=("spreadsheets",), essential_skills=())
    result = run([seeker], [removals, same, office])
    assert vacancy_ids(result, 1) == [2, 1]  # the office job shares nothing
    mine = result.matches.for_seeker(1)
    fits = dict(zip(mine.vacancy_id.tolist(), mine.fit.tolist(), strict=True))
    assert 0 < fits[1] < fits[2]
    reasons = result.reasons(1, 1)
    assert [s["key"] for s in reasons["skills_near"]] == [LIFTING]
    assert reasons["skills_matched"] == []  # kin is never named as a skill held
    assert "You have 0 of the 1 skills asked, and skills close to 1 more" in reasons["summary"]


def test_kin_is_never_essential_and_a_list_still_meets_itself_at_one():
    space = SkillSpace.fit([alice(skills=(LIFT_HEAVY,))], [vacancy(1, skills=(LIFTING,))])
    job = vacancy(1, skills=(), essential_skills=(LIFTING,))
    vector = space.vacancy_vector(job)
    assert kin_of(LIFTING) in vector and all(k.startswith(KIN) or k == LIFTING for k in vector)
    seeker = space.seeker_vector([LIFT_HEAVY, LIFTING])
    itself = space.seeker_vector([LIFT_HEAVY, LIFTING])
    assert sum(w * itself[k] for k, w in seeker.items()) == pytest.approx(1.0)
    # Missing the essential skill still costs its penalty, whatever the kin.
    result = run([alice(skills=(LIFT_HEAVY,))], [job])
    assert result.reasons(1, 1)["fit_parts"]["essential_missing"] == 1
