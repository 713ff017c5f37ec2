"""Counterfactual invariance: the same résumé with a different name, pronouns, age or college
must get the same fits. `measure(model, items)` scores every résumé as a base persona and
with one attribute swapped at a time, and reports how far each role's fit moves."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from statistics import mean

DIMENSIONS = ("name", "pronouns", "age", "college")


@dataclass(frozen=True)
class Persona:
    """What a counterfactual résumé says about its candidate."""

    name: str
    pronouns: tuple[str, str, str]  # subject, object, possessive
    age: int
    college: str
    reference_year: int = 2025

    @property
    def birth_year(self) -> int:
        return self.reference_year - self.age


BASE = Persona("Emily Walsh", ("she", "her", "her"), 34, "Wellesley College")
# One attribute at a time is swapped against BASE: names across gender and ethnicity, the other
# set of pronouns, ages (and the birth years that go with them), women's and men's colleges and
# historically Black colleges.
SWAPS: dict[str, list] = {
    "name": ["Jamal Washington", "Nguyen Thi Lan", "Olumide Adeyemi", "Lakisha Robinson",
             "Connor Sullivan", "María José Hernández", "Mohammed Al-Rashid"],
    "pronouns": [("he", "him", "his")],
    "age": [24, 47, 61],
    "college": ["Morehouse College", "Spelman College", "Hampden-Sydney College"],
}

_NAME_LINE = re.compile(r"[A-ZÀ-Þ][\w'’.-]*(?:[ \t]+[A-ZÀ-Þ][\w'’.-]*){1,3}")
_SEPARATOR = re.compile(r"[ \t]*(?:[,|·•]|[–—]|[ \t]-[ \t])")
_BODY_HEADING = re.compile(r"(?i)^[ \t]*(?:professional[ \t]+|career[ \t]+|work[ \t]+)?"
                           r"(?:summary|profile|experience|employment|history|objective|"
                           r"about[ \t]+me|overview)\b[^\n]{0,30}$")
_EDUCATION_HEADING = re.compile(r"(?i)^[ \t]*(?:education|academic|qualifications)\b[^\n]{0,30}$")


def with_persona(text: str, persona: Persona) -> str:
    """The résumé as `persona` would have written it: the name on the header line (replacing
    the résumé's own name when the first line starts with one), "Age: 34 · Born 1991" under it,
    a sentence about the candidate with their pronouns after the first summary or experience
    heading, and their college on the education line."""
    lines = text.split("\n")
    top = next((i for i, line in enumerate(lines) if line.strip()), 0)
    head = lines[top] if lines else ""
    first = _SEPARATOR.split(head.strip(), maxsplit=1)[0]
    if _NAME_LINE.fullmatch(first) and not any(c.isdigit() for c in first):
        lines[top] = head.replace(first, persona.name, 1)
        lines.insert(top + 1, f"Age: {persona.age} · Born {persona.birth_year}")
    else:
        lines[top:top] = [persona.name, f"Age: {persona.age} · Born {persona.birth_year}"]
    subject, obj, possessive = persona.pronouns
    sentence = (f"Colleagues say {subject} stays calm under pressure, and {possessive} manager "
                f"trusted {obj} with the office move.")
    body = next((i for i, line in enumerate(lines) if _BODY_HEADING.match(line)), None)
    if body is None:
        blank = next((i for i in range(top + 2, len(lines)) if not lines[i].strip()), len(lines))
        lines[blank:blank] = ["", sentence]
    else:
        lines.insert(body + 1, sentence)
    college = f"B.A. in English, {persona.college}, 2012"
    education = next((i for i, line in enumerate(lines) if _EDUCATION_HEADING.match(line)), None)
    if education is None:
        lines += ["", "EDUCATION", college]
    else:
        lines.insert(education + 1, college)
    return "\n".join(lines)


def variants(base: Persona = BASE, swaps: dict[str, list] | None = None
             ) -> list[tuple[str, Persona]]:
    """(dimension, persona) pairs: the base, then one attribute swapped at a time."""
    swaps = SWAPS if swaps is None else swaps
    out = [("base", base)]
    for dimension, values in swaps.items():
        for value in values:
            out.append((dimension, replace(base, **{dimension: value})))
    return out


@dataclass
class CounterfactualReport:
    """How far each role's fit (0-100) moved from the base persona, per swapped attribute."""

    documents: int
    variants: int
    roles: list[str]
    deltas: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # dim → role → |Δ|
    best_role_changes: int = 0
    errors: int = 0

    def max_delta(self, role: str | None = None, dimension: str | None = None) -> float:
        values = [d for dim, by_role in self.deltas.items() if dimension in (None, dim)
                  for r, ds in by_role.items() if role in (None, r) for d in ds]
        return max(values, default=0.0)

    def to_dict(self) -> dict:
        per = {dim: {role: {"max": round(max(ds, default=0.0), 2),
                            "mean": round(mean(ds), 3) if ds else 0.0, "n": len(ds)}
                     for role, ds in by_role.items()}
               for dim, by_role in self.deltas.items()}
        return {"documents": self.documents, "variants_per_document": self.variants,
                "roles": self.roles, "per_dimension": per,
                "max_delta": {role: round(self.max_delta(role), 2) for role in self.roles},
                "best_role_changes": self.best_role_changes, "errors": self.errors,
                "base": {"name": BASE.name, "pronouns": "/".join(BASE.pronouns),
                         "age": BASE.age, "college": BASE.college},
                "swaps": {dim: [v if isinstance(v, (str, int)) else "/".join(v) for v in vals]
                          for dim, vals in SWAPS.items()}}


def measure(model, items: list[tuple[str, str]], base: Persona = BASE,
            swaps: dict[str, list] | None = None) -> CounterfactualReport:
    """Score every (id, text) résumé as each variant persona (one batched run) and collect
    the absolute fit changes against the base persona."""
    personas = variants(base, swaps)
    batch = [(f"{doc_id}#{i}", with_persona(text, persona))
             for doc_id, text in items for i, (_, persona) in enumerate(personas)]
    results = list(model.iter_scores(batch, batch_size=128))
    roles = list(model.roles)
    report = CounterfactualReport(len(items), len(personas), roles)
    for d in range(len(items)):
        block = results[d * len(personas):(d + 1) * len(personas)]
        if any(r.status != "ok" for r in block):
            report.errors += 1
            continue
        reference = block[0]
        for (dimension, _), result in zip(personas[1:], block[1:], strict=True):
            by_role = report.deltas.setdefault(dimension, {role: [] for role in roles})
            for role in roles:
                by_role[role].append(round(abs(result.fits[role] - reference.fits[role]), 2))
            report.best_role_changes += result.best_role != reference.best_role
    return report


def measure_dev(model) -> CounterfactualReport:
    """The counterfactual report over the whole development set (data/dev)."""
    from rolefit.evaluation import load_dev_set

    return measure(model, [(d.id, d.text) for d in load_dev_set()])


def format_report(report: CounterfactualReport) -> str:
    lines = [f"counterfactual swaps over {report.documents} résumés "
             f"({report.variants} variants each): |fit change| in points (0-100)",
             f"{'swapped':<10}" + "".join(f"{role + ' max':>16}{role + ' mean':>16}"
                                           for role in report.roles)]
    for dimension, by_role in report.deltas.items():
        lines.append(f"{dimension:<10}" + "".join(
            f"{max(by_role[r], default=0):>16.2f}{mean(by_role[r]) if by_role[r] else 0:>16.3f}"
            for r in report.roles))
    lines.append(f"best role changed in {report.best_role_changes} variant(s); "
                 f"{report.errors} résumé(s) not scored")
    return "\n".join(lines)
