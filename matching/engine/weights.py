"""Every tunable number of the matching engine, in one place, with where each value comes from.

The fit of a seeker to a vacancy is a weighted sum of three parts, each in [0, 1] (skills,
occupation by title words and text meaning, travel), scaled down when essential skills are
missing; ``rank`` then adjusts the fit for congestion. The weights are set by hand, not
learned: JobMatch has no outcome data yet. When outcomes accumulate (starts, 13- and
26-week checks), fit these same parts to them (a logistic regression is enough) and
replace the numbers. Any change here changes scores: bump ENGINE_VERSION with it, so stored
match rows say which rules made them.
"""

from __future__ import annotations

from typing import Final

ENGINE_VERSION: Final = "engine-1.3"  # 1.3: families of occupations and of skills (kin)

# --- The fit (docs/rules/matching.md, "The fit") ------------------------------------------------
# Skills carry most of the fit: they are what the vacancy asks for and what the seeker says they
# can do. Occupation (desired title against vacancy title) is the second signal: it catches "HGV
# class 1 driver" against "LGV C+E driver" when the skill lists are thin. Travel is a small
# preference for shorter journeys among vacancies already within the seeker's limit (the limit
# itself is a hard constraint). The three sum to 1 so the fit stays in [0, 1].
W_SKILLS: Final = 0.55
W_OCCUPATION: Final = 0.30
W_TRAVEL: Final = 0.15

# A title's occupation row blends its words (``occupations.py``: string similarity to ESCO's
# labels) with its meaning (``meaning.py``: sentence embedding, for a vacancy of its title and
# description together), each a unit row, then renormalised. Words lead: on the tuning titles
# they alone rank the right occupation better (MRR 0.945 against 0.808 for meaning alone), but
# meaning adds what letters cannot see (the blend: 0.958; with every vacancy titled
# "operative", 0.933 from the descriptions). Hand-set, not fitted; the figures come from
# ``bench/bench_quality.py --tuning-only --sweep``.
TITLE_LEXICAL: Final = 0.6
TEXT_MEANING: Final = 0.4
# The occupation part is read at two grains (``meaning.py``): the occupations themselves (words
# and meaning, above) and families of occupations, kinds of work, by meaning. Two rows' dot
# product is OCCUPATION_NEAR x their occupations' cosine + OCCUPATION_FAMILY x their families',
# so the right occupation still leads and a neighbouring job (a chef's post for a kitchen
# porter) is a match rather than nothing. On the tuning adverts (``bench/bench_quality.py
# --tuning-only --sweep``) precision at 10 from the title / from title and text: 0.609 / 0.645
# as set, 0.562 / 0.605 without families, 0.608 / 0.640 with the families' share 0.2 and
# 0.607 / 0.648 with 0.4; the tuning-title MRR 0.960, 0.961, 0.962 and 0.956. Any share from
# 0.2 to 0.4 does as well: the middle is kept. Hand-set from those figures, not fitted.
OCCUPATION_NEAR: Final = 0.7
OCCUPATION_FAMILY: Final = 0.3

# Skills by meaning (``skillspace.py``): a list of skills also holds one kin key per family of
# skills it touches, weighted by the key's IDF times SKILL_KIN. Kin keys are common (a family
# has about 13 skills), so their IDF is lower than a skill's: with this at 1, a seeker whose one
# skill is a near-synonym of the one skill asked gets about a quarter of the skills part an
# exact skill gives (IDF about 3 for a family against about 5 for a skill: 9 / (25 + 9)), and
# lists that share skills exactly still score as before. Hand-set from that arithmetic.
SKILL_KIN: Final = 1.0

# A pair is a match only when its skills and kind of work give at least this much of the fit
# (before the journey and any missing essential skill): less is a job that is merely near.
# With families of skills and of occupations nearly every pair shares some small thing. 0.02
# is a cosine under 0.04 of the skills or 0.07 of the kind of work: unrelated. On the demo
# town it cuts the rows a full recompute stores from 121,697 to 102,130 (bench/bench_service.py
# with this at 0 and at 0.02). Hand-set.
MIN_IN_COMMON: Final = 0.02

# In the vacancy's skill vector an essential skill weighs this many times an optional one (before
# the L2 normalisation), so holding or missing it moves the cosine more.
ESSENTIAL_BOOST: Final = 2.0
# On top of the cosine, the fit is multiplied by (1 - ESSENTIAL_PENALTY * missing / essential):
# missing every essential skill halves the fit; missing an optional skill costs only its share of
# the cosine. Hand-set so "you lack the one essential skill" always costs more than any single
# optional skill (checked by tests/matching/test_engine.py).
ESSENTIAL_PENALTY: Final = 0.5

# A remote vacancy has no journey: it gets the travel part of a zero-minute commute.
REMOTE_TRAVEL_SCORE: Final = 1.0


def score_weights(use_occupations: bool) -> tuple[float, float, float]:
    """Return (skills, occupation, travel) weights; without occupation data (no title matrices
    given) its weight is shared out to the other two in proportion, so the fit still spans [0, 1].
    A seeker who gave no desired titles while others did is not redistributed: their occupation
    part is simply 0; nor is a seeker who typed no skills (``no_skills_scale`` is for vacancies
    that ask none)."""
    if use_occupations:
        return W_SKILLS, W_OCCUPATION, W_TRAVEL
    rest = W_SKILLS + W_TRAVEL
    return W_SKILLS / rest, 0.0, W_TRAVEL / rest


def no_skills_scale(use_occupations: bool) -> float:
    """The factor on the fit of a vacancy that asks for no skills. Anyone qualifies for it on
    skills, so the skills' weight is shared out to the occupation and travel parts in
    proportion: a perfect such job is 100%, not 45%. Its skills part is 0, so this is the fit
    with the usual weights times 1 / (occupation + travel weights)."""
    _, w_occ, w_travel = score_weights(use_occupations)
    return 1.0 / (w_occ + w_travel)


# --- Travel estimates (docs/rules/matching.md) ---------------------------------------------------
# minutes = overhead + straight-line km * detour / speed * 60. No road or timetable data is
# available offline, so these are estimates and every reason says so.
#   detour: straight-line to network distance. Road circuity in Britain is usually quoted around
#     1.2-1.4 (e.g. Boscoe, Henry & Zdeb 2012 measure about 1.4 for US roads; denser British
#     networks sit lower); 1.3 is the middle. Public transport routes wind more: 1.4.
#   speed (km/h): walking 4.8 and cycling 16 are the speeds the DfT's Journey Time Statistics
#     assume; car 40 is about the average on local A roads in English towns (DfT congestion
#     statistics, CGN tables, roughly 24-25 mph); public transport 18 is of the order of local bus
#     speeds outside London, stops included.
#   overhead (minutes): cycle 2 (unlock and lock); car 5 (park and walk in); public transport 10
#     (walk to the stop and wait half a typical 15-20 minute headway). Walking has none.
TRAVEL_MODES: Final = ("walk", "cycle", "public_transport", "car")
TRAVEL_DETOUR: Final = {"walk": 1.3, "cycle": 1.3, "public_transport": 1.4, "car": 1.3}
TRAVEL_SPEED_KMH: Final = {"walk": 4.8, "cycle": 16.0, "public_transport": 18.0, "car": 40.0}
TRAVEL_OVERHEAD_MIN: Final = {"walk": 0.0, "cycle": 2.0, "public_transport": 10.0, "car": 5.0}

# --- Congestion (docs/rules/matching.md, "The order people see") --------------------------------
# Static part, from plain inputs. les-emplois orders employers by recent applications divided by
# max(open positions, 1), fewest first (gip-inclusion/les-emplois,
# docs/logique-metier/02-organisations.md, "Score de Candidature Calculé"). We keep fit in charge
# and turn that ratio into a gentle multiplier 1 / (1 + APPLICATIONS_WEIGHT * ratio): 20 open
# applications per open position halve the rank score, 5 take a fifth off. Hand-set.
APPLICATIONS_WEIGHT: Final = 0.05
# An employer's answer rate r in [0, 1] multiplies the rank score by FLOOR + (1 - FLOOR) * r: an
# employer who never answers keeps half, so a strong fit is still shown. Hand-set.
ANSWER_RATE_FLOOR: Final = 0.5

# Capacity-aware part, over the top-k graph (a greedy walk: deterministic, and close to what an
# exact assignment would give at a fraction of its cost). Going down the seekers' top-k pairs from
# the highest adjusted fit, each seeker is "allocated" up to SHOWN_PER_SEEKER vacancies and each
# vacancy up to SHOWN_PER_POSITION seekers per position left. A pair left over (the vacancy already
# has that many people who fit it as well or better) is multiplied by sqrt(capacity / demand),
# demand being how many seekers have it in their first SHOWN_PER_SEEKER: twice over-subscribed costs
# 29%, four times 50%, never more than down to CROWDED_FLOOR. It moves down the seeker's list, not
# out of it. SHOWN_PER_SEEKER is the first page of matches (and the top 10 of the exposure report);
# the others are hand-set starting points, to tune with the metrics report (share of vacancies
# shown, Gini of exposure, mean fit) on the demo town. On bench-town (bench/synthetic.py) a sweep
# gave, by fit alone -> with congestion: Gini 0.74 -> 0.47 / 0.52 / 0.58 and mean fit shown 0.211 ->
# 0.175 / 0.181 / 0.187 for 10 / 20 / 40 per position (floor 0.25); a floor of 0.5 spreads less
# (Gini 0.55-0.61) and costs less fit (0.193-0.196). 20 and 0.25 sit in the middle.
SHOWN_PER_SEEKER: Final = 10
SHOWN_PER_POSITION: Final = 20
CROWDED_FLOOR: Final = 0.25

# --- Output --------------------------------------------------------------------------------------
# Top k vacancies per seeker and candidates per vacancy (docs/rules/matching.md).
DEFAULT_K: Final = 50
EXPOSURE_TOP_N: Final = 10  # "in at least one seeker's top 10" (metrics.py)
