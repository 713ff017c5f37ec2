"""Generate labelled training résumés from our hand-written line banks.

Each résumé is assembled from bank lines whose criterion ids are known, so its labels follow
from what it contains: a role's graded fit from how many of the role's criteria it evidences,
the primary role from the brief's rule (higher fit if >= 2; a tie goes to the secretary when
D1-D3 evidence is present, else to the assistant). Titles are drawn independently of the label
in title traps. Layout, headings, bullets, dates, prose vs bullets and PDF damage vary.

Lines are split into two folds by a hash of their text; a résumé uses lines of one fold only,
so the role model can be trained on extractions made by a duty classifier that never saw them.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rolefit.resources import data_path
from rolefit.taxonomy import load_sections

ASSISTANT = [f"A{i}" for i in range(1, 13)]
SECRETARY = [f"S{i}" for i in range(1, 11)]
DIFFERENCES = ["D1", "D2", "D3"]

_FIRST = ["Amara", "Ben", "Chloe", "Deepa", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas",
          "Kemi", "Luis", "Mei", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Sipho", "Tariq",
          "Ulla", "Victor", "Wanjiru", "Xiu", "Yusuf", "Zofia", "Aroha", "Bogdan", "Carmen",
          "Dmitri"]
_LAST = ["Adeyemi", "Brennan", "Castillo", "Dubois", "Eriksen", "Fernandes", "Gupta", "Hoang",
         "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Mensah", "Nakamura", "O'Neill", "Petrova",
         "Quispe", "Rahman", "Silva", "Tanaka", "Umarov", "Vargas", "Walsh", "Xu", "Yilmaz", "Zhou"]
_ORG_A = ["North", "Blue", "Cedar", "Harbour", "Summit", "Crescent", "Meridian", "Oak", "Silver",
          "Granite", "Lakeside", "Pioneer", "Riverbend", "Sunrise", "Westgate", "Eastfield"]
_ORG_B = ["Logistics", "Holdings", "Health Trust", "Legal LLP", "Ministry of Works", "Bank",
          "Foods", "Energy", "University", "Council", "Engineering", "Textiles", "Insurance",
          "Software", "Hotels", "Foundation", "Trading Co.", "Motors", "Press", "Clinic"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_BULLETS = ["• ", "- ", "* ", "▪ ", "➢ ", "o ", "", "► "]


@dataclass
class Line:
    text: str
    criteria: list[str]
    kind: str
    occupation: str | None
    fold: int


@dataclass
class Bank:
    duties: dict[str, list[Line]] = field(default_factory=dict)
    negatives: dict[str, list[Line]] = field(default_factory=dict)
    traps: list[Line] = field(default_factory=list)
    near_miss: dict[str, list[Line]] = field(default_factory=dict)
    context: dict[str, list[Line]] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)


def fold_of(text: str) -> int:
    return hashlib.sha1(text.strip().lower().encode("utf-8")).digest()[0] % 2


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def load_bank(folders: tuple[str, ...] | None = None) -> Bank:
    """All bank lines, grouped for assembly."""
    from rolefit.pipeline.train_duties import BANK_FOLDERS

    bank = Bank()
    for folder in folders or BANK_FOLDERS:
        root = data_path("train", folder)
        for path in sorted(root.glob("*.jsonl")):
            if path.name == "titles.jsonl":
                for item in _read_jsonl(path):
                    bank.titles.setdefault(item["group"], []).append(item["title"])
                continue
            for item in _read_jsonl(path):
                line = Line(item["text"], sorted(item.get("criteria") or []),
                            item.get("kind", "duty"), item.get("occupation"),
                            fold_of(item["text"]))
                _file_line(bank, line)
    return bank


def _file_line(bank: Bank, line: Line) -> None:
    kind = line.kind
    if kind in {"duty", "knowledge"} and line.criteria:
        for criterion in line.criteria:
            bank.duties.setdefault(criterion, []).append(line)
    elif kind == "keyword_trap":
        bank.traps.append(line)
    elif kind in {"other_duty", "negative"}:
        bank.negatives.setdefault(line.occupation or "other", []).append(line)
    elif kind == "near_miss":
        bank.near_miss.setdefault(line.occupation or "office", []).append(line)
    else:
        bank.context.setdefault(kind, []).append(line)


@dataclass
class Generated:
    id: str
    text: str
    primary_role: str
    assistant_fit: int
    secretary_fit: int
    criteria: list[str]
    profile: str
    title: str
    traps: list[str]
    fold: int


def graded_fit(count: int) -> int:
    """Graded fit from how many of a role's criteria a résumé evidences: as our writers and
    labellers grade (data/dev, data/dev2, data/real: up to three criteria are a weak fit, four
    to six a good one, seven or more a strong one)."""
    return 0 if count == 0 else 1 if count <= 3 else 2 if count <= 6 else 3


INCIDENTAL_SHARE = 0.3
# three criteria making up this share of the duty lines are a good fit (None: weak, as shipped)
CENTRAL_SHARE: float | None = None
SHORT_JOB_MONTHS = 12  # jobs shorter than this are written with their months
P_SHORT_JOB = 0.15  # share of jobs lasting a few months (their duties count fully: the brief)
P_UNDATED = 0.08  # résumés whose jobs carry no dates: how long a duty was held is unknown


def _by_share(fit: int, count: int, share: float) -> int:
    """A role's graded fit given the share of the résumé's duty lines its duties make up."""
    if share < INCIDENTAL_SHARE:
        return min(fit, 1)
    if CENTRAL_SHARE is not None and count == 3 and share >= CENTRAL_SHARE:
        return max(fit, 2)
    return fit


def label(criteria: set[str], lines: list[Line] | None = None) -> tuple[int, int, str]:
    """(assistant_fit, secretary_fit, primary_role) by the brief's rule.

    A role's duties that make up under 30% of a résumé's duty lines are incidental to another
    career: they count as a weak fit (1) at most, as the labelling brief says of a nurse who
    "files charts". With `CENTRAL_SHARE` set (off by default; session 7 measured it neutral),
    three of a role's criteria making up at least that share of the duty lines are a good fit.
    How long or how long ago a duty was held does not change the grade (the brief's convention
    for old and short jobs)."""
    a_count = len(criteria & set(ASSISTANT))
    secretary = criteria & set(SECRETARY + DIFFERENCES)
    # a degree alone (D2) is knowledge, not the role's work: every labeller graded it 0
    s_count = len(secretary) if secretary - {"D2"} else 0
    a, s = graded_fit(a_count), graded_fit(s_count)
    if lines:
        total = len(lines)
        a_share = sum(1 for x in lines if set(x.criteria) & set(ASSISTANT)) / total
        s_share = sum(1 for x in lines if set(x.criteria) & set(SECRETARY + DIFFERENCES)) / total
        a = _by_share(a, a_count, a_share)
        s = _by_share(s, s_count, s_share)
    if max(a, s) < 2:
        return a, s, "neither"
    if a != s:
        return a, s, "assistant" if a > s else "secretary"
    return a, s, "secretary" if criteria & set(DIFFERENCES) else "assistant"


class Generator:
    """Deterministic résumé generator (one `random.Random(seed)`)."""

    PROFILES = [("assistant", 0.26), ("secretary", 0.17), ("mixed", 0.1), ("near_miss", 0.13),
                ("keyword_trap", 0.14), ("other", 0.2)]

    def __init__(self, bank: Bank, seed: int = 0) -> None:
        self.bank = bank
        self.rng = random.Random(seed)
        self.sections = load_sections()

    def many(self, n: int, fold: int) -> list[Generated]:
        return [self.one(f"gen_{fold}_{i:05d}", fold) for i in range(n)]

    def _pick(self, lines: list[Line], fold: int) -> Line | None:
        usable = [x for x in lines if x.fold == fold]
        return self.rng.choice(usable) if usable else None

    def _duty_lines(self, ids: list[str], fold: int) -> list[Line]:
        out = []
        for criterion in ids:
            for _ in range(self.rng.choice([1, 1, 1, 2])):
                line = self._pick(self.bank.duties.get(criterion, []), fold)
                if line and line not in out:
                    out.append(line)
        return out

    def one(self, doc_id: str, fold: int) -> Generated:
        rng = self.rng
        profile = rng.choices([p for p, _ in self.PROFILES], [w for _, w in self.PROFILES])[0]
        lines: list[Line] = []
        traps: list[str] = []
        occupation = None
        if profile in {"assistant", "secretary", "mixed"}:
            a_n, s_n, d_p = {"assistant": (rng.randint(3, 10), rng.choice([0, 0, 1, 2, 3]), 0.1),
                             "secretary": (rng.choice([0, 1, 2, 3, 4]), rng.randint(3, 9), 0.7),
                             "mixed": (rng.randint(4, 7), rng.randint(4, 7), 0.5)}[profile]
            ids = rng.sample(ASSISTANT, a_n) + rng.sample(SECRETARY, s_n)
            ids += [d for d in ("D1", "D3") if rng.random() < d_p]
            lines += self._duty_lines(ids, fold)
            if rng.random() < 0.3:
                extra = self._pick(self.bank.traps, fold)
                if extra:
                    lines.append(extra)
            if rng.random() < 0.45:  # an earlier job outside the office
                lines += self._other_lines(fold, rng.randint(2, 8))
        elif profile == "near_miss":
            occupation = rng.choice(sorted(self.bank.near_miss))
            pool = [x for x in self.bank.near_miss[occupation] if x.fold == fold]
            lines += rng.sample(pool, min(len(pool), rng.randint(2, 6)))
            traps.append("near_miss")
        else:
            occupation = rng.choice(sorted(self.bank.negatives))
            pool = [x for x in self.bank.negatives[occupation] if x.fold == fold]
            lines += rng.sample(pool, min(len(pool), rng.randint(3, 9)))
            lines += self._other_lines(fold, rng.choice([0, 0, 2, 4, 8]))
            if profile == "keyword_trap":
                trap_pool = [x for x in self.bank.traps if x.fold == fold]
                lines += rng.sample(trap_pool, min(len(trap_pool), rng.randint(1, 3)))
                traps.append("keyword_trap")
            # incidental office duties, as real careers have: many lines, a few office ones
            incidental = rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6])
            if incidental:
                lines += self._duty_lines(rng.sample(ASSISTANT + SECRETARY, incidental), fold)
        education = self._education(profile)
        criteria = {c for line in lines + education for c in line.criteria}
        jobs = [(job, self._job_months()) for job in self._jobs(lines)]
        dated = rng.random() >= P_UNDATED
        a_fit, s_fit, primary = label(criteria, lines)
        title = self._title(profile, primary, traps)
        # real résumés pad their duties with generic lines (service, teamwork, awards): they
        # lengthen the text without evidencing any criterion, and do not enter the label
        filler = self._sample("generic", rng.choice([0, 1, 2, 3, 4, 6, 8, 10]), fold)
        text = self._render(title, jobs, education, occupation, filler, dated)
        if rng.random() < 0.2:
            text = pdf_noise(text, rng)
            traps.append("pdf_noise")
        return Generated(doc_id, text, primary, a_fit, s_fit, sorted(criteria), profile, title,
                         traps, fold)

    def _sample(self, kind: str, n: int, fold: int | None = None) -> list[Line]:
        """Up to `n` distinct context lines of one kind (of one fold when given)."""
        pool = [x for x in self.bank.context.get(kind, []) if fold is None or x.fold == fold]
        return self.rng.sample(pool, min(len(pool), n))

    def _other_lines(self, fold: int, n: int) -> list[Line]:
        """Duty lines of a random other occupation (no criteria)."""
        if not n:
            return []
        occupation = self.rng.choice(sorted(self.bank.negatives))
        pool = [x for x in self.bank.negatives[occupation] if x.fold == fold]
        return self.rng.sample(pool, min(len(pool), n))

    def _education(self, profile: str) -> list[Line]:
        pool = self.bank.context.get("education", []) + self.bank.context.get("certification", [])
        specialised = [x for x in pool if x.criteria]
        plain = [x for x in pool if not x.criteria]
        p_specialised = {"secretary": 0.7, "mixed": 0.5, "other": 0.4}.get(profile, 0.15)
        chosen = [self.rng.choice(specialised if self.rng.random() < p_specialised else plain)]
        if self.rng.random() < 0.45:
            chosen.append(self.rng.choice(plain))
        return chosen

    def _title(self, profile: str, primary: str, traps: list[str]) -> str:
        rng = self.rng
        honest = {"assistant": "assistant", "secretary": "secretary", "neither": "other"}[primary]
        if profile == "near_miss":
            honest = "near_miss"
        group = honest
        if rng.random() < 0.25:  # title trap: a title pointing elsewhere
            group = rng.choice([g for g in ("assistant", "secretary", "false_friend")
                                if g != honest])
            traps.append("title_trap")
        return rng.choice(self.bank.titles.get(group) or self.bank.titles["other"])

    def _heading(self, label: str) -> str:
        word = self.rng.choice(self.sections[label])
        style = self.rng.choice(["upper", "title", "colon", "plain"])
        return {"upper": word.upper(), "title": word.title(), "colon": word.title() + ":",
                "plain": word.capitalize()}[style]

    def _job_months(self) -> int:
        """A job's length: mostly whole years, sometimes a few months."""
        if self.rng.random() < P_SHORT_JOB:
            return self.rng.randint(3, SHORT_JOB_MONTHS - 1)
        return 12 * self.rng.randint(1, 8)

    def _month_dates(self, end_year: int, months: int) -> tuple[str, int]:
        """A job of a few months with its months written out (never "Present", which would
        date it from today), and the year it started."""
        rng = self.rng
        end = end_year * 12 + rng.randint(0, 11)
        start = end - months + 1
        if rng.random() < 0.5:
            a = f"{_MONTHS[start % 12]} {start // 12}"
            b = f"{_MONTHS[end % 12]} {end // 12}"
        else:
            a, b = f"{start % 12 + 1:02d}/{start // 12}", f"{end % 12 + 1:02d}/{end // 12}"
        return f"{a} {rng.choice(['-', '–', 'to', '—'])} {b}", start // 12

    def _dates(self, end_year: int, years: int) -> str:
        """A job of whole years: with months, it runs exactly `years` x 12 months (or to the
        present, which is longer)."""
        rng = self.rng
        start = end_year - years
        first = start * 12 + rng.randint(0, 11)  # months since year 0
        last = first + 12 * years - 1
        fmt = rng.choice(["mon", "num", "year", "dot"])
        end_txt = rng.choice(["Present", "Current", "present", "Till date"]) \
            if end_year >= 2025 else None
        if fmt == "mon":
            a = f"{_MONTHS[first % 12]} {first // 12}"
            b = end_txt or f"{_MONTHS[last % 12]} {last // 12}"
        elif fmt == "num":
            a = f"{first % 12 + 1:02d}/{first // 12}"
            b = end_txt or f"{last % 12 + 1:02d}/{last // 12}"
        elif fmt == "dot":
            a = f"{first // 12}.{first % 12 + 1:02d}"
            b = end_txt or f"{last // 12}.{last % 12 + 1:02d}"
            return f"{a} - {b}"
        else:
            a, b = str(start), end_txt or str(end_year)
        return f"{a} {rng.choice(['-', '–', 'to', '—'])} {b}"

    def _render(self, title: str, jobs: list[tuple[list[Line], int]], education: list[Line],
                occupation: str | None, filler: list[Line], dated: bool = True) -> str:
        rng = self.rng
        out = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"]
        if rng.random() < 0.8:
            out.append(title.upper() if rng.random() < 0.4 else title)
        if rng.random() < 0.5:
            out.append(f"Phone: +{rng.randint(10, 99)} {rng.randint(100, 999)} "
                       f"{rng.randint(1000, 9999)} | e-mail: candidate{rng.randint(1, 999)}"
                       "@example.com")
        summaries = self.bank.context.get("summary", [])
        if summaries and rng.random() < 0.7:
            chosen = rng.sample(summaries, rng.choice([1, 1, 2, 3]))
            out += ["", self._heading("summary"), " ".join(x.text for x in chosen)]
        skills = self.bank.context.get("skill", [])
        skills_first = rng.random() < 0.4
        skill_block = self._skills(skills) if skills and rng.random() < 0.8 else []
        if skills_first:
            out += skill_block
        out += ["", self._heading("experience")]
        year = rng.choice([2025, 2025, 2024, 2022])
        glyph = rng.choice(_BULLETS)
        prose = rng.random() < 0.15
        in_jobs = filler[: len(filler) // 2 + 1] if rng.random() < 0.6 else []
        highlights = [x for x in filler if x not in in_jobs]
        n_jobs = len(jobs)
        for j, (job, months) in enumerate(jobs):
            chunk = job + in_jobs[j::n_jobs]
            job_title = title if j == 0 else rng.choice(
                sum(self.bank.titles.values(), []))
            org = f"{rng.choice(_ORG_A)} {rng.choice(_ORG_B)}"
            if months < SHORT_JOB_MONTHS:
                dates, started = self._month_dates(year, months)
            else:
                dates, started = self._dates(year, months // 12), year - months // 12
            if dated:
                out.append(rng.choice([f"{job_title}, {org}, {dates}",
                                       f"{job_title} | {org}\n{dates}",
                                       f"{dates}  {org} — {job_title}",
                                       f"{org} City , State {dates} {job_title}"]))
            else:
                out.append(rng.choice([f"{job_title}, {org}", f"{job_title} | {org}",
                                       f"{org} — {job_title}", f"{org} City , State {job_title}"]))
            if prose:
                out.append(" ".join(x.text.rstrip(".") + "." for x in chunk))
            else:
                out += [f"{glyph}{x.text}" for x in chunk]
            year = started - rng.randint(0, 1)
        if highlights:
            out += ["", rng.choice(["Accomplishments", "Highlights", "Achievements",
                                    "KEY ACHIEVEMENTS"])]
            out += [f"{glyph}{x.text}" for x in highlights]
        out += ["", self._heading("education")] + [x.text for x in education]
        if not skills_first:
            out += skill_block
        languages = self.bank.context.get("language", [])
        if languages and rng.random() < 0.3:
            out += ["", self._heading("languages"), rng.choice(languages).text]
        return "\n".join(out) + "\n"

    def _jobs(self, lines: list[Line]) -> list[list[Line]]:
        """The duty lines dealt into jobs, most recent first. Often a career has two parts, the
        office work in some jobs and another occupation's in others, either one the recent
        part; otherwise the lines are spread over the jobs."""
        rng = self.rng
        lines = list(lines)
        rng.shuffle(lines)
        office = [x for x in lines if x.criteria]
        other = [x for x in lines if not x.criteria]
        if office and other and rng.random() < 0.6:
            parts = [office, other] if rng.random() < 0.5 else [other, office]
            return [job for part in parts
                    for job in self._deal(part, rng.choice([1, 1, 2, 3]))]
        return self._deal(lines, rng.choice([1, 2, 2, 3, 3, 4, 5]))

    @staticmethod
    def _deal(lines: list[Line], n_jobs: int) -> list[list[Line]]:
        n_jobs = max(1, min(len(lines), n_jobs))
        return [lines[j::n_jobs] for j in range(n_jobs)]

    def _skills(self, skills: list[Line]) -> list[str]:
        """A skills section as résumés lay it out: one comma list, one per line, or two
        columns flattened into one line."""
        rng = self.rng
        chosen = [x.text for x in rng.sample(skills, min(len(skills), rng.randint(4, 14)))]
        layout = rng.choice(["comma", "lines", "columns"])
        if layout == "comma":
            body = [", ".join(chosen)]
        elif layout == "lines":
            body = chosen
        else:
            body = [f"{a}  {b}" for a, b in zip(chosen[::2], chosen[1::2], strict=False)]
        return ["", self._heading("skills"), *body]


def pdf_noise(text: str, rng: random.Random) -> str:
    """Damage as PDF extraction leaves it: hard wraps, hyphen breaks, page lines, mojibake."""
    lines = []
    for line in text.split("\n"):
        while len(line) > 70 and rng.random() < 0.7:
            cut = line.rfind(" ", 40, 70)
            if cut < 0:
                break
            head, line = line[:cut], line[cut + 1:]
            if rng.random() < 0.2 and " " in line:
                word, _, rest = line.partition(" ")
                if len(word) > 6:
                    half = len(word) // 2
                    head, line = f"{head} {word[:half]}-", f"{word[half:]} {rest}"
            lines.append(head)
        lines.append(line)
    if len(lines) > 12:
        lines.insert(len(lines) // 2, rng.choice(["Page 1 of 2", "1/2", "- 1 -"]))
    text = "\n".join(lines)
    if rng.random() < 0.5:
        text = text.replace("’", "â€™").replace("'", "â€™").replace("•", "â€¢")
    return text


def generate(n_per_fold: int = 700, seed: int = 7) -> list[Generated]:
    bank = load_bank()
    generator = Generator(bank, seed)
    return generator.many(n_per_fold, 0) + generator.many(n_per_fold, 1)


def write_jsonl(items: list[Generated], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
