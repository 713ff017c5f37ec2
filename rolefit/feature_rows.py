"""Extraction → one row of numbers: per-criterion evidence strength, knowledge level,
experience, skills (job titles are never a feature). Plain Python, so scoring needs no
scikit-learn; `rolefit.features.ExtractionFeatures` is the transformer around it."""

from __future__ import annotations

import bisect
import math

from rolefit.extraction import Extraction, Job

EDUCATION_RANK = {"secondary": 0, "diploma": 1, "associate": 2, "bachelor": 3, "master": 4,
                  "doctorate": 5}
SKILL_CATEGORIES = ("office_software", "keyboard", "meetings", "records", "finance",
                    "front_office", "writing", "governance", "analysis", "specialised",
                    "languages", "management", "logistics", "business_systems", "conduct")
DUTY_SECTIONS = {"experience", "summary", "header", "other"}
MAX_COUNT = 5


RECENT_MONTHS = 36  # a job that ended up to three years before the résumé's latest date


def criterion_features(criterion: str) -> list[str]:
    """The feature names that describe one criterion's evidence: how many distinct sentences,
    found by a rule, the model's score, in a duty section, in a recent job, years held."""
    return [f"{criterion}:count", f"{criterion}:rule", f"{criterion}:model", f"{criterion}:duty",
            f"{criterion}:recent", f"{criterion}:years"]


def _job_of(jobs: list[Job], starts: list[int], char: int) -> Job | None:
    """The job block holding a character offset, if any."""
    i = bisect.bisect_right(starts, char) - 1
    return jobs[i] if i >= 0 and char < jobs[i].end else None


def feature_group(name: str) -> str:
    """The group a feature belongs to: its criterion id (`S3:count` → `S3`), else its prefix
    (`role:assistant:share` → `role:assistant`, `skills:finance` → `skills`)."""
    return name.split(":", 1)[0] if name[:1].isupper() else name.rsplit(":", 1)[0]


def feature_names(criteria_ids: list[str], roles: dict[str, str]) -> list[str]:
    names = [n for c in criteria_ids for n in criterion_features(c)]
    names += [f"role:{r}:criteria" for r in sorted(set(roles.values()))]
    names += [f"role:{r}:share" for r in sorted(set(roles.values()))]
    names += [f"role:{r}:evidence_share" for r in sorted(set(roles.values()))]
    names += [f"role:{r}:longest_job" for r in sorted(set(roles.values()))]
    names += ["doc:sentences", "doc:other_duty", "doc:other_duty_share", "doc:dated_jobs"]
    names += ["knowledge:education_rank", "knowledge:specialised", "knowledge:certifications",
              "knowledge:languages", "experience:total_years", "experience:relevant_years",
              "evidence:experience_share"]
    names += [f"skills:{c}" for c in SKILL_CATEGORIES]
    return names


def extraction_features(extraction: Extraction, criteria_ids: list[str],
                        roles: dict[str, str]) -> list[float]:
    """One row of features for one résumé."""
    sentences: dict[str, set[int]] = {c: set() for c in criteria_ids}
    rule = dict.fromkeys(criteria_ids, 0.0)
    model = dict.fromkeys(criteria_ids, 0.0)
    duty_section = dict.fromkeys(criteria_ids, 0.0)
    in_duty_sections = 0
    jobs = sorted(extraction.jobs, key=lambda j: j.start)
    starts = [j.start for j in jobs]
    held: dict[str, dict[int, Job]] = {c: {} for c in criteria_ids}
    for e in extraction.duties:
        if e.criterion not in sentences:
            continue
        sentences[e.criterion].add(e.sentence_start)
        job = _job_of(jobs, starts, e.start)
        if job is not None:
            held[e.criterion][job.start] = job
        if e.source.startswith("model:"):
            model[e.criterion] = max(model[e.criterion], e.score)
        else:
            rule[e.criterion] = 1.0
        if e.section in DUTY_SECTIONS:
            duty_section[e.criterion] = 1.0
            in_duty_sections += 1
    row: list[float] = []
    for c in criteria_ids:
        recent = any(j.months_before_latest <= RECENT_MONTHS for j in held[c].values())
        years = sum(j.months for j in held[c].values()) / 12
        row += [math.log1p(min(len(sentences[c]), MAX_COUNT)), rule[c], model[c], duty_section[c],
                float(recent), math.log1p(min(years, 40.0))]
    for role in sorted(set(roles.values())):
        row.append(sum(1 for c in criteria_ids if roles[c] == role and sentences[c]))
    duty_kinds = {e.criterion for e in extraction.duties if e.kind != "knowledge"}
    role_sentences = {role: {s for c in criteria_ids if roles[c] == role and c in duty_kinds
                             for s in sentences[c]} for role in sorted(set(roles.values()))}
    for found in role_sentences.values():
        row.append(min(len(found) / max(extraction.n_sentences, 1), 1.0))
    # how the duty evidence divides between the roles, whatever the résumé's length
    evidence_sentences = max(len(set().union(*role_sentences.values())), 1)
    for found in role_sentences.values():
        row.append(len(found) / evidence_sentences)
    # the longest job holding any of a role's duties, in log years (0: none in a dated job)
    for role in role_sentences:
        months = [j.months for c in criteria_ids if roles[c] == role and c in duty_kinds
                  for j in held[c].values()]
        row.append(math.log1p(min(max(months, default=0) / 12, 40.0)))
    row.append(math.log1p(extraction.n_sentences))
    row.append(math.log1p(extraction.n_other_duty))
    row.append(min(extraction.n_other_duty / max(extraction.n_sentences, 1), 1.0))
    # whether any job is dated: without dates, how long duties were held is unknown (not short)
    row.append(float(bool(extraction.jobs)))
    knowledge = extraction.knowledge
    row += [
        float(EDUCATION_RANK.get(extraction.education_level or "", -1)),
        float(any(k.specialised for k in knowledge)),
        float(sum(1 for k in knowledge if k.kind == "certification")),
        float(len({k.value for k in knowledge if k.kind == "language"})),
        min(extraction.total_years, 40.0) / 10,
        min(extraction.relevant_years, 40.0) / 10,
        in_duty_sections / max(len(extraction.duties), 1),
    ]
    categories = [s.category for s in extraction.skills]
    row += [float(min(categories.count(c), 3)) for c in SKILL_CATEGORIES]
    return row
