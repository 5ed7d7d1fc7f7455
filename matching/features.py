"""Turning members into what the model compares: focus keys, categories and interest vectors.

A "focus" is something a group can do together: a taxonomy interest after synonyms ("Catan" and
"board gaming" are both board games), or, for free text the taxonomy doesn't know, the member's
own words folded so small differences in spelling and filler words don't matter.
"""
import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.taxonomy import normalise_tag, taxonomy
from matching.types import MemberProfile
from matching.weights import INTEREST_FEATURES

# Words that say how people meet rather than what they do: "sketching meetups" is sketching.
FILLER_WORDS = frozenset(
    "a an and the of for to with in my our group groups club clubs meetup meetups meet circle "
    "circles night nights class classes lessons lesson session sessions society league leagues "
    "casual beginner beginners".split()
)

EMBEDDING_DIMENSIONS = 64
EXACT_CELLS_LIMIT = 4_000_000  # 16 MB of float32: exact vectors are cheaper than the SVD
SVD_ITERATIONS = 3  # enough for the leading directions; each more costs ~2 s at 100,000 members
FORMAT_CODES = {"online": 0, "in_person": 1, "either": 2}


def free_text_key(tag: str) -> str:
    """'Urban Sketching Meetups' and 'urban sketching' fold to the same key."""
    key = "".join(w for w in normalise_tag(tag).split() if w not in FILLER_WORDS)
    return key[:-1] if len(key) > 4 and key.endswith("s") and not key.endswith("ss") else key


@dataclass
class Features:
    """Arrays over members, in input order."""

    foci: list[np.ndarray]  # sorted focus ids per member
    categories: list[np.ndarray]  # sorted category ids per member
    focus_names: list[str]  # focus id -> name to show members
    category_names: list[str]
    embedding: np.ndarray  # float32 rows of unit length: a dot product is the interest cosine
    comfort: np.ndarray  # int8
    slots: np.ndarray  # int64 bitmask of weekly slots
    lat: np.ndarray  # radians, nan when unknown
    lon: np.ndarray
    fmt: np.ndarray  # FORMAT_CODES
    places: list[str | None]


class _Names:
    """Stable ids for keys in order of first appearance, so results don't depend on hashing."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.names: list[str] = []

    def id_for(self, key: str, name: str) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.names)
            self.names.append(name)
        return found


class _TagReader:
    """What one written tag means: its foci, categories and (for free text) spelling grams.

    Members write the same tags again and again, so each distinct spelling is read once.
    """

    def __init__(self):
        self.focus_names, self.category_names = _Names(), _Names()
        self._seen: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]]] = {}

    def read(self, tag: str):
        found = self._seen.get(tag)
        if found is None:
            found = self._seen[tag] = self._read(tag)
        return found

    def _read(self, tag: str):
        tax = taxonomy()
        slug = tax.match(tag)
        foci, cats, grams = [], [], ()
        if slug:
            known_slugs = [slug]
        else:
            known_slugs = tax.find_within(tag) or [s for s in [tax.closest(tag)] if s]
        for known in known_slugs:
            interest = tax.interests[known]
            foci.append(self.focus_names.id_for("i:" + known, interest.name.lower()))
            category = tax.categories[interest.category]
            cats.append(self.category_names.id_for(category.slug, category.name.lower()))
        if slug is None:
            key = free_text_key(tag)
            if key:
                foci.append(self.focus_names.id_for("t:" + key, normalise_tag(tag)))
                grams = tuple(_char_grams(normalise_tag(tag)))
        return tuple(foci), tuple(cats), grams


def _char_grams(text: str) -> list[str]:
    grams = []
    for word in text.split():
        padded = f" {word} "
        for size in (3, 4):
            grams.extend(padded[i:i + size] for i in range(len(padded) - size + 1))
    return grams


def build_features(profiles: list[MemberProfile]) -> Features:
    reader = _TagReader()
    foci, cats, focus_docs, cat_docs, text_docs = [], [], [], [], []
    for profile in profiles:
        member_foci, member_cats, grams = set(), set(), []
        for tag in profile.interests:
            tag_foci, tag_cats, tag_grams = reader.read(tag)
            member_foci.update(tag_foci)
            member_cats.update(tag_cats)
            grams.extend(tag_grams)
        foci.append(np.array(sorted(member_foci), dtype=np.int32))
        cats.append(np.array(sorted(member_cats), dtype=np.int32))
        focus_docs.append(foci[-1].tolist())
        cat_docs.append(cats[-1].tolist())
        text_docs.append(grams)
    blocks = []
    for docs, weight in (
        (focus_docs, INTEREST_FEATURES.focus),
        (cat_docs, INTEREST_FEATURES.category),
        (text_docs, INTEREST_FEATURES.text),
    ):
        blocks.append(weight * _tfidf(docs))
    vectors = sparse.hstack(blocks, format="csr")
    if profiles:
        vectors = normalize(vectors)
    return Features(
        foci=foci,
        categories=cats,
        focus_names=reader.focus_names.names,
        category_names=reader.category_names.names,
        embedding=embed(vectors),
        comfort=np.array([p.comfort for p in profiles], dtype=np.int8),
        slots=np.array([slot_mask(p.availability) for p in profiles], dtype=np.int64),
        lat=np.radians(np.array([_coord(p.lat) for p in profiles], dtype=np.float64)),
        lon=np.radians(np.array([_coord(p.lon) for p in profiles], dtype=np.float64)),
        fmt=np.array([FORMAT_CODES[p.format] for p in profiles], dtype=np.int8),
        places=[p.place for p in profiles],
    )


def _tfidf(docs: list[list[str]]) -> sparse.csr_matrix:
    """TF-IDF over ready-made tokens: rare shared interests say more than common ones."""
    if not any(docs):
        return sparse.csr_matrix((len(docs), 1))
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2")
    return vectorizer.fit_transform(docs)


def embed(vectors: sparse.csr_matrix) -> np.ndarray:
    """Dense interest vectors small enough to score thousands of candidates per call.

    Small populations (and few features) keep the exact TF-IDF vectors; beyond that,
    latent semantic analysis (TruncatedSVD) keeps the main directions, which also brings together
    interests that members tend to hold together.
    """
    rows, columns = vectors.shape
    if columns <= EMBEDDING_DIMENSIONS or rows * columns <= EXACT_CELLS_LIMIT:
        dense = vectors.toarray()
    else:
        svd = TruncatedSVD(
            n_components=EMBEDDING_DIMENSIONS, algorithm="randomized", n_iter=SVD_ITERATIONS, random_state=0
        )
        dense = normalize(svd.fit_transform(vectors))
    return np.ascontiguousarray(dense, dtype=np.float32)


def _identity(tokens):
    return tokens


def _coord(value) -> float:
    return math.nan if value is None else float(value)


def slot_mask(slots) -> int:
    mask = 0
    for slot in slots:
        mask |= 1 << int(slot)
    return mask


def mask_slots(mask: int) -> list[int]:
    return [slot for slot in range(21) if mask >> slot & 1]


