"""Originality of reflections: Chinese character n-grams, MinHash and LSH on an indexed table.

A submitted reflection's text is cut into overlapping ``NGRAM``-character shingles (after
dropping punctuation and spaces, which carry no authorship). Its MinHash signature (one
permutation, densified: see :func:`signature`) of
``BANDS × ROWS`` values is split into ``BANDS`` bands; each band is hashed to one 64-bit key
and stored in :class:`~learning.models.ReflectionBand` (indexed on ``key``). Two texts whose
shingle sets have Jaccard similarity *s* share at least one band with probability
``1 - (1 - s**ROWS)**BANDS`` — about 96 % at s = 0.43 (a text 60 % copied from another of
the same length) and under 5 % at s = 0.1 — so candidates are found with one indexed
``key IN (…)`` query however many reflections are stored. Each candidate, and the linked
material's text, is then compared exactly: the share of the new text's shingles found in
the other text (containment). At ``FLAG_CONTAINMENT`` or more the reflection is flagged
and the matching passages are kept as character spans for the reviewer.
"""

from __future__ import annotations

import hashlib
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

NGRAM = 5
BANDS = 40
ROWS = 3
FLAG_CONTAINMENT = 0.4
MAX_CANDIDATES = 20
# Keeps a borrowed bin value apart from any real one (real values are below 2**58).
_DISTANCE_OFFSET = 1 << 60


def _keep(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in ("L", "N")


def normalise(text: str) -> tuple[str, list[int]]:
    """The text without punctuation and spaces, and each kept character's original index."""
    kept: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        if _keep(char):
            kept.append(char.lower())
            positions.append(index)
    return "".join(kept), positions


def shingles(normalised: str) -> set[str]:
    if len(normalised) < NGRAM:
        return {normalised} if normalised else set()
    return {normalised[i : i + NGRAM] for i in range(len(normalised) - NGRAM + 1)}


def _hash64(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


def signature(shingle_set: Iterable[str]) -> list[int]:
    """One-permutation MinHash with rotation densification (Shrivastava & Li, 2014).

    Each shingle's 64-bit hash falls into one of ``BANDS × ROWS`` bins and each bin keeps
    its least value, so a signature costs one pass over the shingles rather than one pass per
    hash function; two texts agree on a bin with probability ≈ their Jaccard similarity. An
    empty bin borrows the next non-empty bin to its right, tagged with the distance, so two
    texts agree on it only where they agree on the borrowed bin.
    """
    size = BANDS * ROWS
    bins: list[int | None] = [None] * size
    for shingle in shingle_set:
        value = _hash64(shingle)
        index, rest = value % size, value // size
        current = bins[index]
        if current is None or rest < current:
            bins[index] = rest
    if all(b is None for b in bins):
        return []
    result: list[int] = []
    for i in range(size):
        for distance in range(size):
            borrowed = bins[(i + distance) % size]
            if borrowed is not None:
                result.append(borrowed + distance * _DISTANCE_OFFSET)
                break
    return result


def band_keys(sig: list[int]) -> list[int]:
    """One signed 64-bit key per band (the band's number is hashed in, so one column does)."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS]
        material = ",".join(map(str, [band, *chunk])).encode()
        digest = hashlib.blake2b(material, digest_size=8).digest()
        keys.append(struct.unpack(">q", digest)[0])
    return keys


@dataclass
class Match:
    kind: str  # "reflection" or "material"
    pk: int
    title: str
    containment: float
    spans: list[tuple[int, int]]

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "pk": self.pk,
            "title": self.title,
            "containment": round(self.containment, 3),
            "spans": [list(span) for span in self.spans],
        }


def compare(text: str, other: str) -> tuple[float, list[tuple[int, int]]]:
    """Share of ``text``'s shingles found in ``other``, and the matching spans of ``text``."""
    norm, positions = normalise(text)
    own = [norm[i : i + NGRAM] for i in range(max(len(norm) - NGRAM + 1, 0))]
    if not own:
        return 0.0, []
    theirs = shingles(normalise(other)[0])
    hits = [i for i, s in enumerate(own) if s in theirs]
    containment = len({own[i] for i in hits}) / len(set(own))
    # Merge the hit shingles into spans of the original text.
    spans: list[tuple[int, int]] = []
    for i in hits:
        start, end = positions[i], positions[i + NGRAM - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return containment, spans


def segments(text: str, spans: Iterable[Iterable[int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) pieces for highlighting; escaping is the template's."""
    result: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in sorted(tuple(s) for s in spans):  # type: ignore[misc]
        start = max(start, cursor)
        if start >= end:
            continue
        if start > cursor:
            result.append((text[cursor:start], False))
        result.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        result.append((text[cursor:], False))
    return result


def candidates(keys: list[int], *, exclude_pk: int) -> list[int]:
    """Reflections sharing the most band keys with ``keys``: one indexed query."""
    from learning.models import ReflectionBand

    rows = (
        ReflectionBand.objects.filter(key__in=keys)
        .exclude(reflection_id=exclude_pk)
        .values("reflection_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "-reflection_id")[:MAX_CANDIDATES]
    )
    return [row["reflection_id"] for row in rows]
