"""Near-duplicate texts in any script: MinHash signatures of character shingles, grouped by
locality-sensitive hashing and confirmed by the exact Jaccard similarity of the shingle sets
(Broder, "On the resemblance and containment of documents", 1997; Leskovec, Rajaraman & Ullman,
*Mining of Massive Datasets*, 3rd ed., chapter 3).

Character shingles need no word splitting or stemming, so Estonian, Ukrainian, Swedish, Persian and
English texts are compared alike; normalisation folds case and compatibility forms, unifies the
Arabic and Persian forms of yeh and kaf, and drops punctuation. Pure functions; no database."""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

SHINGLE = 5  # characters
PERMUTATIONS = 64
BANDS = 16  # of 4 rows: pairs with similarity ~0.5 and above become candidates
PRIME = 4_294_967_311  # the first prime above 2**32: h(x) = (a·x + b) mod p fits in uint64
_RNG = np.random.default_rng(20_261_205)  # fixed: signatures are comparable across runs
_A = _RNG.integers(1, 2**32, size=PERMUTATIONS, dtype=np.uint64)
_B = _RNG.integers(0, 2**32, size=PERMUTATIONS, dtype=np.uint64)
_NOT_WORD = re.compile(r"[^\w]+")
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u200c": " ", "ـ": ""})


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def shingles(text: str) -> np.ndarray:
    """The distinct character shingles of the normalised text, hashed to 32 bits."""
    t = normalise(text)
    if len(t) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    grams = {t[i : i + SHINGLE] for i in range(len(t) - SHINGLE + 1)}
    return np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))


def signature(hashed: np.ndarray) -> np.ndarray:
    """The MinHash signature of a set of hashed shingles (all-max for an empty set)."""
    if hashed.size == 0:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    values = (np.outer(hashed, _A) + _B) % PRIME
    return values.min(axis=0)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0 or b.size == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def groups(texts: Sequence[str], *, threshold: float = 0.5, min_size: int = 3) -> list[list[int]]:
    """Indexes of ``texts`` grouped where texts are near duplicates (a chain of pairs with exact
    shingle Jaccard ≥ ``threshold`` joins a group); only groups of ``min_size`` or more, largest
    first."""
    sets = [np.unique(shingles(t)) for t in texts]
    sigs = [signature(s) for s in sets]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows = PERMUTATIONS // BANDS
    checked: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for i, sig in enumerate(sigs):
            if sets[i].size:
                buckets[sig[band * rows : (band + 1) * rows].tobytes()].append(i)
        for members in buckets.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    i, j = members[x], members[y]
                    if (i, j) in checked or root(i) == root(j):
                        continue
                    checked.add((i, j))
                    if jaccard(sets[i], sets[j]) >= threshold:
                        parent[root(i)] = root(j)
    found: dict[int, list[int]] = defaultdict(list)
    for i in range(len(texts)):
        found[root(i)].append(i)
    out = [sorted(g) for g in found.values() if len(g) >= min_size]
    return sorted(out, key=lambda g: (-len(g), g[0]))
