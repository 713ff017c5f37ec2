"""A reproducible benchmark corpus: résumés of 300-1,200 words assembled from our own line banks
(`data/train/bank*`, via `rolefit.synth.load_bank`), written as .txt, .pdf and .docx files.

The same seed gives the same texts and files on every machine (fpdf2 and python-docx write
deterministic content; file bytes may differ across their versions)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from rolefit.synth import ASSISTANT, SECRETARY, Bank, Line, load_bank

_FIRST = ["Ama", "Bruno", "Chen", "Dalia", "Emeka", "Freya", "Goran", "Hana", "Ivo", "Jaya",
          "Kofi", "Lena", "Marco", "Nia", "Omar", "Pia", "Rafael", "Saanvi", "Tomas", "Vera"]
_LAST = ["Abara", "Berg", "Costa", "Dlamini", "Evans", "Fischer", "Garcia", "Haddad", "Ito",
         "Jovanovic", "Khan", "Larsen", "Moreau", "Novak", "Okoro", "Park", "Rossi", "Singh"]
_ORGS = ["Harbour Logistics", "Cedar Health Trust", "Summit Legal LLP", "Meridian Bank",
         "Oak University", "Granite Engineering", "Lakeside Council", "Pioneer Foods",
         "Westgate Insurance", "Sunrise Hotels", "Riverbend Press", "Eastfield Motors"]
_HEADINGS = {"summary": ["PROFILE", "Summary", "Professional Summary:"],
             "experience": ["EXPERIENCE", "Work History", "Professional Experience:"],
             "education": ["EDUCATION", "Education", "Education and Training:"],
             "skills": ["SKILLS", "Skills", "Key Skills:"],
             "languages": ["LANGUAGES", "Languages"]}
_BULLETS = ["• ", "- ", "* ", ""]
FORMATS = ("txt", "pdf", "docx")


@dataclass(frozen=True)
class Spec:
    """What one corpus résumé is: its text and the format it is written in."""

    name: str
    text: str
    fmt: str

    @property
    def words(self) -> int:
        return len(self.text.split())


class CorpusBuilder:
    """Deterministic résumés of a target length (one `random.Random(seed)`)."""

    def __init__(self, bank: Bank, seed: int = 8) -> None:
        self.bank = bank
        self.rng = random.Random(seed)
        self.other = sorted(self.bank.negatives)

    def target_words(self) -> int:
        """300-1,200 words, most near 400-700 (triangular, mean about 620)."""
        return int(self.rng.triangular(300, 1200, 360))

    def pool(self) -> list[Line]:
        """The duty lines this candidate's career draws from."""
        rng = self.rng
        profile = rng.choices(["assistant", "secretary", "mixed", "near_miss", "other"],
                              [0.3, 0.2, 0.1, 0.1, 0.3])[0]
        lines: list[Line] = []
        if profile in {"assistant", "secretary", "mixed"}:
            n_a, n_s = {"assistant": (8, 2), "secretary": (3, 7), "mixed": (6, 6)}[profile]
            for criterion in rng.sample(ASSISTANT, n_a) + rng.sample(SECRETARY, n_s) + ["D1"]:
                lines += rng.sample(self.bank.duties[criterion], 4)
        elif profile == "near_miss":
            lines += list(self.bank.near_miss[rng.choice(sorted(self.bank.near_miss))])
        lines += list(self.bank.negatives[rng.choice(self.other)])
        lines += rng.sample(self.bank.negatives["other"], 20)
        rng.shuffle(lines)
        return lines

    def text(self) -> str:
        rng, bank = self.rng, self.bank
        target = self.target_words()
        head = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                rng.choice(sum(bank.titles.values(), [])),
                f"Phone: +44 {rng.randint(1000, 9999)} {rng.randint(100000, 999999)} | "
                f"cand{rng.randint(1, 9999)}@example.com", "",
                rng.choice(_HEADINGS["summary"]),
                " ".join(x.text for x in rng.sample(bank.context["summary"], 2)), ""]
        tail = ["", rng.choice(_HEADINGS["education"])]
        tail += [x.text for x in rng.sample(bank.context["education"], 2)]
        tail += [rng.choice(bank.context["certification"]).text, "",
                 rng.choice(_HEADINGS["skills"]),
                 ", ".join(x.text for x in rng.sample(bank.context["skill"], 5)), "",
                 rng.choice(_HEADINGS["languages"]), rng.choice(bank.context["language"]).text]
        body = [rng.choice(_HEADINGS["experience"])]
        words = len(" ".join(head + tail).split())
        lines, year, glyph = self.pool(), 2025, rng.choice(_BULLETS)
        while words < target and lines:
            span = rng.randint(1, 5)
            body += ["", f"{rng.choice(sum(bank.titles.values(), []))}, {rng.choice(_ORGS)}, "
                         f"{rng.choice(['Jan', 'Apr', 'Sep'])} {year - span} - "
                         f"{'Present' if year == 2025 else f'Mar {year}'}"]
            words += 6
            for _ in range(rng.randint(4, 9)):
                if not lines or words >= target:
                    break
                line = lines.pop()
                body.append(glyph + line.text)
                words += len(line.text.split())
            year -= span + 1
        return "\n".join(head + body + tail) + "\n"

    def specs(self, n: int, pdf_share: float = 0.05, docx_share: float = 0.05) -> list[Spec]:
        n_pdf, n_docx = round(n * pdf_share), round(n * docx_share)
        formats = ["pdf"] * n_pdf + ["docx"] * n_docx + ["txt"] * (n - n_pdf - n_docx)
        return [Spec(f"cv_{i:05d}", self.text(), fmt) for i, fmt in enumerate(formats)]


def build(folder: Path, n: int, seed: int = 8) -> list[Spec]:
    """Write the corpus under `folder/<format>/` (skipped when already written for this n and
    seed); returns the specs."""
    from rolefit.testing import write_docx, write_pdf

    specs = CorpusBuilder(load_bank(), seed).specs(n)
    stamp = folder.with_name(folder.name + ".stamp")
    if stamp.exists() and stamp.read_text() == f"{n} {seed}":
        return specs
    for fmt in FORMATS:
        (folder / fmt).mkdir(parents=True, exist_ok=True)
        for old in (folder / fmt).iterdir():
            old.unlink()
    for spec in specs:
        path = folder / spec.fmt / f"{spec.name}.{spec.fmt}"
        if spec.fmt == "txt":
            path.write_text(spec.text, encoding="utf-8")
        elif spec.fmt == "pdf":
            write_pdf(spec.text, path)
        else:
            write_docx(spec.text, path)
    stamp.write_text(f"{n} {seed}")
    return specs
