"""A private jieba tokenizer that starts fast.

jieba's own start is slow in three places, each measured on the 2-core CI machine:
importing it pulls in ``pkg_resources`` (~150 ms) only to locate its data files; building
the prefix dictionary from the 349k-word ``dict.txt`` takes ~1 s; and its marshal cache of
that dictionary still takes ~0.75 s to read. We (1) import it with ``pkg_resources``
blocked, which makes jieba fall back to plain file paths, (2) keep only the words frequent
enough to matter in chat messages (``MIN_FREQ``; single characters are all kept), and (3)
cache the trimmed prefix dictionary as a pickle, which loads ~3× faster than marshal.

Roster names and the report vocabulary are added per parser with ``add_word`` on a copy,
so two parsers built from different rosters never share words, and the global
``jieba.dt`` is never touched.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import math
import os
import pickle
import re
import sys
import tempfile
import threading
import types
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jieba import Tokenizer  # untyped (Any); at run time jieba comes from _import_jieba()

log = logging.getLogger(__name__)


class _OnFirstUse(types.ModuleType):
    """Stands in for a module until one of its names is used; then the real one loads.

    jieba imports its HMM for unknown words (`jieba.finalseg`, a 35k-entry emission table,
    ~3 MB in every process) at import time; we segment with HMM=False, so it never runs."""

    _lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
        return getattr(real, name)


def _import_jieba():
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # ImportError on import
    if "jieba" not in sys.modules:
        sys.modules.setdefault("jieba.finalseg", _OnFirstUse("jieba.finalseg"))
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


jieba = _import_jieba()

# Words rarer than this in jieba's corpus counts are dropped: ~55k words remain. Segmenting
# a chat message only needs common words to keep boundaries right around names.
MIN_FREQ = 40
_FORMAT = 2  # bump when the pickle layout changes

# per-process, without a cache file: parsers share one build (prefix dictionary, total,
# part-of-speech tags). With one, each parser loads its own copy from it (~50 ms) and the
# process keeps no second copy (~4 MB) for parsers it may never build.
_base: tuple[dict[str, int], int, dict[str, str]] | None = None


def _dict_path() -> Path:
    return Path(jieba.__file__).resolve().parent / "dict.txt"


def _cache_name(src: Path) -> str:
    st = src.stat()
    key = f"{jieba.__version__}|{st.st_size}|{int(st.st_mtime)}|{MIN_FREQ}|{_FORMAT}"
    return "jieba-trim-" + hashlib.sha1(key.encode()).hexdigest()[:12] + ".pkl"


def _build(src: Path) -> tuple[dict[str, int], int, dict[str, str]]:
    """The trimmed prefix dictionary in jieba's own layout (word → freq, prefixes → 0),
    and the part-of-speech tag of every kept word (jieba.posseg's table, trimmed alike:
    loading posseg itself would re-read the whole 349k-word file)."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    with open(src, encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ", 2)
            if len(parts) < 2:
                continue
            word, n = parts[0], int(parts[1])
            if n < MIN_FREQ and len(word) > 1:
                continue
            freq[word] = n
            total += n
            if len(parts) > 2:
                tags[word] = sys.intern(parts[2].strip())
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)
    return freq, total, tags


def _load_base(cache_dir: Path | None) -> tuple[tuple[dict[str, int], int, dict[str, str]], bool]:
    """The trimmed dictionary, and whether it is a fresh copy the caller may keep and change
    (loaded from the cache file) rather than the shared build (to be copied)."""
    global _base
    if _base is not None:
        return _base, False
    src = _dict_path()
    cache = cache_dir / _cache_name(src) if cache_dir is not None else None
    if cache is not None:
        try:
            with open(cache, "rb") as f:
                return pickle.load(f), True
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            pass  # missing or damaged: rebuild below
    built = _build(src)
    if cache is not None and cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".jieba-", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)  # atomic: a parallel reader sees the old file or the new
            return built, True  # the next parser loads the file
        except OSError as e:
            log.warning("jieba cache not written to %s: %s", cache_dir, e)
    _base = built
    return _base, False


# Frequency given to roster names. jieba's own suggestion only makes a word beat its own
# characters; names also have to beat overlapping words (实小将 must not become 实/小将,
# 齐小和解小 not 和解) without swallowing real words (真实小故事 stays 真实/小/故事).
# Measured on such pairs: 2,000–5,000 works, 20,000 starts to break 真实.
NAME_FREQ = 3000


def new_tokenizer(
    cache_dir: Path | None, words: dict[str, str], names: frozenset[str] = frozenset()
) -> Tokenizer:
    """A private tokenizer over the trimmed dictionary plus `words` (word → [a-z] POS tag).

    Words in `names` get at least NAME_FREQ; the others jieba's suggested frequency."""
    (freq, total, tags), fresh = _load_base(cache_dir)
    tk = jieba.Tokenizer(str(_dict_path()))
    # Equivalent of Tokenizer.initialize() with our dictionary; initialize() would rebuild or
    # unmarshal the full dictionary. A copy of the shared build keeps add_word from leaking
    # into other parsers.
    tk.FREQ, tk.total = (freq if fresh else dict(freq)), total
    tk.initialized = True
    own_tags = tags if fresh else dict(tags)
    for word, tag in sorted(words.items()):
        if word and not word.isspace():
            word_freq = max(tk.FREQ.get(word, 0), NAME_FREQ) if word in names else None
            tk.add_word(word, freq=word_freq, tag=tag)
            own_tags[word] = tag
    tk.pos_tags = own_tags  # read by WordBounds.tag
    return tk


# jieba cuts each run of these characters on its own (its re_han_default), so a run's
# word boundaries do not depend on the rest of the message.
_BLOCK = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def word_ends(tk: Tokenizer, block: str) -> tuple[int, ...]:
    """0 and the end of every word of ``tk.cut(block, HMM=False)`` for one block, computed
    the way jieba does it but without building its DAG dict, route dict and generators
    (about twice as fast).

    jieba: every dictionary word (frequency > 0) starting at k is an edge k → end, a
    character with none is an edge on its own; the route from the end of the block back
    maximises log(freq) - log(total) summed over the words, ties going to the longer word;
    then consecutive single ASCII letters and digits are joined into one word. The floats
    are computed in the same order as jieba's ``calc``, so the route is the same."""
    freq, ln = tk.FREQ, math.log
    n = len(block)
    logtotal = ln(tk.total)
    score = [0.0] * (n + 1)  # best log-probability of block[k:]
    end = [0] * n  # end of the first word on that best route
    for k in range(n - 1, -1, -1):
        best, e = 0.0, 0
        i = k
        frag = block[k]
        while i < n and frag in freq:  # FREQ holds every prefix of a word (at 0)
            f = freq[frag]
            if f:
                v = ln(f) - logtotal + score[i + 1]
                if e == 0 or v >= best:  # jieba's max over (score, end) tuples
                    best, e = v, i + 1
            i += 1
            frag = block[k : i + 1]
        if e == 0:
            best, e = ln(1) - logtotal + score[k + 1], k + 1
        score[k], end[k] = best, e
    ends = [0]
    k = 0
    joined = False  # the word before was one ASCII letter or digit
    while k < n:
        e = end[k]
        single = e == k + 1 and block[k] in _ASCII_ALNUM
        if single and joined:
            ends[-1] = e
        else:
            ends.append(e)
        joined = single
        k = e
    return tuple(ends)


class WordBounds:
    """Word boundaries of a text, cut lazily one jieba block at a time.

    Most questions the parser asks ("is 解小 a whole word here?", "where does the word
    before 小学 start?") touch one clause; cutting only that clause keeps the parser's
    cost close to a single jieba pass even on long messages, and at zero on chat that
    never asks.
    """

    def __init__(self, text: str, tk: Tokenizer, shared: dict | None = None) -> None:
        self._text = text
        self._tk = tk
        # block text → word ends, shared by the views of one message (its clauses, its
        # header, the text with an implied 我) so no block is cut twice
        self._shared = shared if shared is not None else {}
        self._blocks = [m.span() for m in _BLOCK.finditer(text)]
        self._starts = [a for a, _ in self._blocks]
        self._cut: dict[int, frozenset[int]] = {}

    def _block_at(self, i: int) -> int | None:
        k = bisect_right(self._starts, i) - 1
        if k >= 0 and self._blocks[k][0] < i < self._blocks[k][1]:
            return k
        return None

    def _bounds(self, k: int) -> frozenset[int]:
        got = self._cut.get(k)
        if got is None:
            a, b = self._blocks[k]
            block = self._text[a:b]
            ends = self._shared.get(block)
            if ends is None:
                ends = self._shared[block] = word_ends(self._tk, block)
            got = self._cut[k] = frozenset(a + e for e in ends)
        return got

    def __contains__(self, i: int) -> bool:
        k = self._block_at(i)
        return k is None or i in self._bounds(k)

    def is_word(self, word: str) -> bool:
        """Whether `word` is in the tokenizer's dictionary (a cheap test before a cut)."""
        return bool(self._tk.FREQ.get(word))

    def tag(self, word: str) -> str:
        """jieba's part-of-speech tag of a dictionary word ("" when unknown)."""
        return self._tk.pos_tags.get(word, "")  # set by new_tokenizer

    def next(self, i: int) -> int:
        """The nearest boundary after i (len(text) at the end)."""
        if i >= len(self._text):
            return len(self._text)
        k = self._block_at(i)
        if k is None:
            k = self._block_at(i + 1)
            if k is None:
                return i + 1
        return min(b for b in self._bounds(k) if b > i)

    def prev(self, i: int) -> int:
        """The nearest boundary before i (0 at the start)."""
        if i <= 0:
            return 0
        k = self._block_at(i)
        if k is None:
            k = self._block_at(i - 1)
            if k is None:
                return i - 1
        return max(b for b in self._bounds(k) if b < i)
