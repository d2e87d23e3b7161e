"""Embedders turn papers' texts into vectors, all through one interface (`fit`), so that
another model (precomputed SPECTER2 vectors, a sentence encoder) can take the place of
the default without the rest of the site knowing."""

from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


@dataclass
class Embedding:
    vectors: np.ndarray  # one float32 row per text, of unit length
    terms: list  # per text, its most distinctive terms, best first


class TfidfSvd:
    """The default: TF-IDF over the catalogue's own titles and abstracts, reduced by a
    truncated SVD (latent semantic analysis). No download, no GPU; refitted on the
    whole catalogue by `manage.py fit_embeddings`."""

    name = "tfidf-svd"

    def __init__(self, dimensions=128, terms=8):
        self.dimensions, self.term_count = dimensions, terms

    def fit(self, texts):
        large = len(texts) >= 50
        vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            stop_words="english",
            # Words of one paper only, or of most, say nothing about relations; on a tiny
            # catalogue (tests, a first import) every word counts.
            min_df=2 if large else 1,
            max_df=0.5 if large else 1.0,
            max_features=200_000,
            token_pattern=r"(?u)\b[^\W\d_][\w-]+\b",
            dtype=np.float32,
        )
        weights = vectorizer.fit_transform(texts)
        dimensions = max(1, min(self.dimensions, weights.shape[1] - 1, len(texts) - 1))
        with np.errstate(invalid="ignore", divide="ignore"):  # its variance ratios, unused
            reduced = TruncatedSVD(dimensions, random_state=0).fit_transform(weights)
        vectors = normalize(reduced).astype(np.float32)
        return Embedding(vectors, self._terms(weights, vectorizer.get_feature_names_out()))

    def _terms(self, weights, names):
        terms = []
        for row in range(weights.shape[0]):
            start, end = weights.indptr[row], weights.indptr[row + 1]
            order = np.argsort(-weights.data[start:end])[: self.term_count]
            terms.append([str(names[weights.indices[start + i]]) for i in order])
        return terms
