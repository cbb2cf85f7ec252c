"""Roster → what the parser can recognise: school names, their variants, people.

Built once per parser. Schools are found in three passes whose results compete by span:
exact written forms (names, aliases and generated variants such as 福海2小, 漳平实验小学,
桂林中心校), near-misses of those forms (one homophone or one character off, 城官小学,
齐干吉叠乡小学), and unknown schools (a proper name before 小学/中学/学院 …), which are kept
as written. A bare core name without any school word (城关, 黄田, or the typo 城官) counts
only where a school is expected: after 到/去/在/和/与/、, before 送教/开展/老师 ….
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from handlers.reports.normalize import normalize
from handlers.text.numerals import SMALL_NUMERALS
from storage.roster import Roster, base_name

_CN_NUM = SMALL_NUMERALS  # 一 … 十
_DIGIT_OF = {c: str(i) for i, c in enumerate(_CN_NUM[:9], 1)}

# School words, longest first; the ones in SAME_TYPE may stand for each other (城关学校 is
# 城关小学); 中学, 学院, 幼儿园 are other schools altogether.
SCHOOL_SUFFIXES = (
    "中心学校",
    "中心小学",
    "中心校",
    "小学部",
    "完全小学",
    "小学",
    "学校",
    "完小",
    "小",
)
SAME_TYPE = frozenset(SCHOOL_SUFFIXES)
# Only a full school word leaves a place name behind: 实小 → 实 is an abbreviation, not a core.
_CORE_SUFFIXES = frozenset(SCHOOL_SUFFIXES) - {"小"}
_ADMIN = "县市区镇乡"
# Cores that are ordinary words or name no particular school.
_GENERIC_CORES = frozenset(
    {
        "实验",
        "中心",
        "第一",
        "第二",
        "第三",
        "希望",
        "育才",
        "民族",
        "附属",
        "城区",
        "实验中心",
        "中学",
        "小学",
        "学校",
    }
)


@dataclass(frozen=True)
class SchoolMention:
    start: int
    end: int
    name: str  # canonical roster name, or the text as written for unknown schools
    written: str  # the text as it appears
    how: str  # exact | fuzzy | partial | unknown (not in the roster) | self


def _suffix_of(form: str) -> tuple[str, str]:
    for suf in SCHOOL_SUFFIXES:
        if form.endswith(suf) and len(form) > len(suf):
            return form[: -len(suf)], suf
    return form, ""


def _digit_variants(form: str) -> set[str]:
    """福海二小 → 福海2小, 第二小学 → 第2小学 (people type what their keyboard offers)."""
    out = set()
    for i, ch in enumerate(form):
        if (
            ch in _DIGIT_OF
            and (i + 1 < len(form) and form[i + 1] in "小中")
            or (ch in _DIGIT_OF and i > 0 and form[i - 1] == "第")
        ):
            out.add(form[:i] + _DIGIT_OF[ch] + form[i + 1 :])
    return out


def _variants(form: str) -> set[str]:
    """Other ways teachers write a roster form."""
    out = {form}
    core, suf = _suffix_of(form)
    # drop the county/town word inside a name: 福海县第二小学 → 福海第二小学
    for i, ch in enumerate(core):
        if ch in _ADMIN and i >= 2 and i + 1 <= len(core):
            out.add(core[:i] + core[i + 1 :] + suf)
    stripped = {c for c in (core, core.rstrip(_ADMIN)) if len(c) >= 2}
    for c in stripped:
        if suf == "小学":
            out |= {c + "小", c + "小学"}
        elif suf in ("中心学校", "中心校", "中心小学"):
            out |= {c + "中心校", c + "中心学校", c + "中心小学"}
        m = re.fullmatch(r"(.+?)第([" + _CN_NUM + r"])", c)
        if m and suf == "小学":  # 福海县第二小学 → 福海二小, 福海县二小
            out |= {m.group(1) + m.group(2) + "小", m.group(1).rstrip(_ADMIN) + m.group(2) + "小"}
    for v in list(out):
        out |= _digit_variants(v)
    return out


def _cores(form: str, canonical: str) -> set[str]:
    """Place-name cores usable on their own: 城关小学 → 城关, 黄田镇中心学校 → 黄田镇, 黄田.

    A bare alias (溪南) is its own core. The county or city a school is named after (漳平 in
    漳平市实验小学) is not: it names every school there."""
    core, suf = _suffix_of(form)
    if suf and suf not in _CORE_SUFFIXES:
        return set()
    out = set()
    for c in (core, core.rstrip(_ADMIN)):
        if (
            len(c) >= 2
            and c not in _GENERIC_CORES
            and not re.search(r"[" + _CN_NUM + r"\d]$", c)
            and not re.match(re.escape(c) + "[县市区]", canonical)
        ):
            out.add(c)
    return out


def is_generic_numeral(form: str) -> bool:
    """二小, 县二小, 2小: a numbered school that needs a place before it to be specific."""
    return re.fullmatch(r"[县市区]?第?[" + _CN_NUM + r"\d]+(?:小|中|小学|中学)", form) is not None


# --- homophones -------------------------------------------------------------------------

_FUZZY_PINYIN = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


@cache
def _readings() -> dict[str, int]:
    """Character → toneless readings, with the flat/retroflex and -n/-ng mergers that
    southern speakers' typing shows (城关 typed as 陈关 is rarer than 城官, but both occur).
    The readings of a character are a bit set (one bit per reading): two characters share
    a reading when their sets intersect. A frozenset per character cost ~2 MB."""
    bits: dict[str, int] = {}
    table: dict[str, int] = {}
    text = resources.files("handlers.reports").joinpath("data/pinyin.txt").read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        py, chars = line.split("\t")
        for a, b in _FUZZY_PINYIN:
            py = py.replace(a, b)
        py = "n" + py[1:] if py.startswith("l") else py
        bit = 1 << bits.setdefault(py, len(bits))
        for ch in chars:
            table[ch] = table.get(ch, 0) | bit
    return table


def homophone(a: str, b: str) -> bool:
    if a == b:
        return True
    ra, rb = _readings().get(a), _readings().get(b)
    return bool(ra and rb and ra & rb)


def one_off(written: str, form: str, *, sound: bool) -> bool:
    """Same length, exactly one differing character (a homophone of it when `sound`)."""
    if len(written) != len(form) or written == form:
        return False
    diff = [(a, b) for a, b in zip(written, form, strict=True) if a != b]
    return len(diff) == 1 and (not sound or homophone(*diff[0]))


class Gazetteer:
    """School and people lookup built from a Roster."""

    def __init__(self, roster: Roster) -> None:
        self.roster = roster
        forms: dict[str, set[str]] = {}  # normalized written form → canonical names
        primary: dict[str, str] = {}  # names and aliases as the roster gives them
        for s in roster.schools:
            for f in (s.name, *s.aliases):
                nf = normalize(f)
                if nf:
                    primary[nf] = s.name
        for s in roster.schools:
            for f in (s.name, *s.aliases):
                for v in _variants(normalize(f)):
                    forms.setdefault(v, set()).add(s.name)
        # A roster form always means its own school; a generated variant that two schools
        # could produce is dropped rather than guessed.
        self.school_forms: dict[str, str] = {
            f: next(iter(c)) for f, c in forms.items() if len(c) == 1 and f not in primary
        }
        self.school_forms.update(primary)
        cores: dict[str, set[str]] = {}
        for f, name in self.school_forms.items():
            for c in _cores(f, name):
                cores.setdefault(c, set()).add(name)
        self.cores = {c: next(iter(n)) for c, n in cores.items() if len(n) == 1}
        self.generic_forms = frozenset(f for f in self.school_forms if is_generic_numeral(f))
        self.first_chars = frozenset(f[0] for f in self.school_forms if f)
        self.people: dict[str, str] = {}  # normalized name → roster name
        # 张伟 when the roster has 张伟(城关) and 张伟(解乡): resolved by the schools named.
        self.namesakes: dict[str, list[str]] = {}
        for p in roster.people:
            self.people[normalize(p.name) or p.name] = p.name
            bare = base_name(p.name)
            if bare != p.name:
                self.namesakes.setdefault(normalize(bare) or bare, []).append(p.name)
                self.people.setdefault(normalize(bare) or bare, bare)
        self._school_rx = _alternation(self.school_forms)
        self._people_rx = _alternation(self.people)
        self._cores_by_len: dict[int, list[str]] = {}
        # "城*" → {城关, 城北}: a one-character slip is found with len(word) dict lookups.
        self._core_index: dict[str, list[str]] = {}
        for c in self.cores:
            self._cores_by_len.setdefault(len(c), []).append(c)
            for j in range(len(c)):
                self._core_index.setdefault(c[:j] + "*" + c[j + 1 :], []).append(c)
        self._core_lengths = sorted(self._cores_by_len, reverse=True)
        # A core, or a one-character slip of one, has its first or its second character right.
        self._first_chars = frozenset(c[0] for c in self.cores)
        self._second_chars = frozenset(c[1] for c in self.cores)
        # …and so has one of the same length: (first characters, second characters) by length.
        self._chars_by_len = {
            n: (frozenset(c[0] for c in cs), frozenset(c[1] for c in cs))
            for n, cs in self._cores_by_len.items()
        }
        self._start_rx: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}

    # -- words for the tokenizer ---------------------------------------------------------

    def words(self) -> dict[str, str]:
        out = {f: "nt" for f in self.school_forms}
        out.update({c: "ns" for c in self.cores})
        out.update({n: "nr" for n in self.people})
        return out

    # -- people ----------------------------------------------------------------------------

    def find_people(self, text: str) -> list[tuple[int, int, str]]:
        if self._people_rx is None:
            return []
        return [
            (m.start(), m.end(), self.people[m.group()]) for m in self._people_rx.finditer(text)
        ]

    def school_of(self, person: str | None) -> str | None:
        return self.roster.school_of(person)

    def resolve_namesake(
        self, name: str, schools: list[str], sender_school: str | None
    ) -> tuple[str, str | None]:
        """张伟 with two 张伟 in the roster: the one whose school the report names, else the
        one in the sender's school; otherwise the first, with a note asking for 张伟(学校)."""
        candidates = self.namesakes.get(normalize(name) or name)
        if not candidates:
            return name, None
        named = [c for c in candidates if self.school_of(c) in schools]
        if len(named) == 1:
            return named[0], None
        mine = [c for c in candidates if sender_school and self.school_of(c) == sender_school]
        if len(mine) == 1 and not named:
            return mine[0], None
        pick = (named or candidates)[0]
        return pick, (
            f"名册中有{len(candidates)}位“{name}”({'、'.join(candidates)}),"
            f"按“{pick}”记录;不对请写明,如“{candidates[-1]}”"
        )

    def similar_person(self, written: str) -> str | None:
        """A roster person one homophone away from `written` (for a note, never for output)."""
        for norm, name in self.people.items():
            if one_off(written, norm, sound=True):
                return name
        return None

    # -- schools ---------------------------------------------------------------------------

    def exact(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, canonical, written) for every exact form, longest at each position."""
        if self._school_rx is None:
            return []
        return [
            (m.start(), m.end(), self.school_forms[m.group()], m.group())
            for m in self._school_rx.finditer(text)
        ]

    def school_at(self, text: str, pos: int) -> bool:
        """Whether a roster form starts at pos (和平中心校: its 和 is no conjunction)."""
        return self._school_rx is not None and self._school_rx.match(text, pos) is not None

    def resolve_written(self, written: str) -> tuple[str, str] | None:
        """A school-looking string that is not an exact form → (canonical, how) or None.

        Tries, in order: digits as numerals (福海2小), a roster core with another same-type
        school word (城关学校), and a one-character slip in the core (城官小学).
        """
        w = re.sub(
            r"\d", lambda m: _CN_NUM[int(m.group()) - 1] if m.group() != "0" else "零", written
        )
        if w in self.school_forms:
            return self.school_forms[w], "exact"
        core, suf = _suffix_of(w)
        if suf not in SAME_TYPE:
            return None
        for c in {core, core.rstrip(_ADMIN)}:
            if c in self.cores:
                return self.cores[c], "partial"
        for c in {core, core.rstrip(_ADMIN)}:
            hit = self.resolve_core(c)
            if hit:
                return hit[0], "fuzzy"
        return None

    def resolve_core(self, written: str) -> tuple[str, str] | None:
        """A bare place name (城关, 城官) → the roster school it can only mean."""
        if written in self.cores:
            return self.cores[written], "partial"
        # Up to three characters the slip must sound the same (城官 → 城关, but 新华 is not
        # 新民 and 黄田送 is not 黄田校); in a longer core any single slip is still
        # unambiguous (齐干吉叠 → 齐干吉迭).
        hits = {
            self.cores[c]
            for j in range(len(written))
            for c in self._core_index.get(written[:j] + "*" + written[j + 1 :], ())
            if len(c) > 3 or homophone(written[j], c[j])
        }
        if len(hits) == 1:
            return hits.pop(), "fuzzy"
        return None

    def core_starts(self, text: str, after: str) -> list[int]:
        """Positions right after one of the characters in `after` (or at 0) where a core or
        a one-character slip of one could begin: its first or its second character fits."""
        if not self.cores:
            return []
        rxs = self._start_rx.get(after)
        if rxs is None:
            first = "".join(sorted(self._first_chars))
            second = "".join(sorted(self._second_chars))
            fits = "(?=[" + re.escape(first) + "]|.[" + re.escape(second) + "])"
            # one of `after` and the test after it: a pattern that starts with a character
            # class is scanned for at C speed, one that starts with a lookbehind is not
            rxs = self._start_rx[after] = (
                re.compile(fits),
                re.compile("[" + re.escape(after) + "]" + fits),
            )
        at_start, behind = rxs
        return ([0] if at_start.match(text) else []) + [m.end() for m in behind.finditer(text)]

    def cores_at(
        self, text: str, i: int, end_ok: Callable[[int], bool] | None = None
    ) -> list[tuple[int, str, str]]:
        """Cores (or one-character slips of cores) starting at text[i], as (end, canonical,
        how): exact ones longest first, then slips longest first. `end_ok`, a cheap test of
        the context after an end, is asked first: a slip is looked up only where it passes."""
        exact, fuzzy = [], []
        for n in self._core_lengths:
            if i + n > len(text):
                continue
            firsts, seconds = self._chars_by_len[n]
            if text[i] not in firsts and text[i + 1] not in seconds:
                continue  # no core of this length, nor a slip of one, starts here
            if end_ok is not None and not end_ok(i + n):
                continue
            frag = text[i : i + n]
            if frag in self.cores:
                exact.append((i + n, self.cores[frag], "partial"))
            else:
                hit = self.resolve_core(frag)
                if hit:
                    fuzzy.append((i + n, hit[0], hit[1]))
        return exact + fuzzy


def _alternation(words) -> re.Pattern[str] | None:
    pattern = longest_of(words)
    return re.compile(pattern) if pattern else None


def longest_of(words: Iterable[str]) -> str:
    """A pattern matching any of `words`, the longest one where several start at the same
    place, like an alternation sorted longest first, but written as a trie (福海(?:二小|县…)):
    the engine follows one branch per character instead of trying every word in turn.
    Every word that matches at one place is a prefix of the longest there, so they all lie
    on one path of the trie, and its optional tails are tried longest first."""
    trie: dict[str, dict] = {}
    for w in words:
        if w:
            node = trie
            for ch in w:
                node = node.setdefault(ch, {})
            node[""] = {}  # a word ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")
