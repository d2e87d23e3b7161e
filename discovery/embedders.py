"""Embedders turn texts into vectors, all through one interface (`fit`, and `load` for
what embeds a search query), so that another model (precomputed SPECTER2 vectors, a
sentence encoder) can take the place of the default without the rest of the site
knowing."""

import io
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


@dataclass
class Embedding:
    vectors: np.ndarray  # one float32 row per text, of unit length
    terms: list  # per text, its most distinctive terms, best first
    model: bytes  # what `load` needs to embed a query in the same space


class TfidfSvd:
    """The default: TF-IDF over the catalogue's own texts, reduced by a truncated SVD
    (latent semantic analysis), so that words used together land close together and a
    query in other words still finds its paper. No download, no GPU; refitted on the
    whole catalogue by `manage.py fit_embeddings`."""

    name = "tfidf-svd"

    def __init__(self, dimensions=128, terms=8):
        self.dimensions, self.term_count = dimensions, terms

    @staticmethod
    def vectorizer(large, vocabulary=None):
        return TfidfVectorizer(
            sublinear_tf=True,
            stop_words="english",
            # Words of one paper only, or of most, say nothing about relations; on a tiny
            # catalogue (tests, a first import) every word counts.
            min_df=2 if large else 1,
            max_df=0.5 if large else 1.0,
            # Bounds the stored query model: 50,000 terms by 128 float16 is 12.8 MB.
            max_features=50_000,
            token_pattern=r"(?u)\b[^\W\d_][\w-]+\b",
            dtype=np.float32,
            vocabulary=vocabulary,
        )

    def fit(self, texts):
        vectorizer = self.vectorizer(large=len(texts) >= 50)
        weights = vectorizer.fit_transform(texts)
        dimensions = max(1, min(self.dimensions, weights.shape[1] - 1, len(texts) - 1))
        svd = TruncatedSVD(dimensions, random_state=0)
        with np.errstate(invalid="ignore", divide="ignore"):  # its variance ratios, unused
            reduced = svd.fit_transform(weights)
        vectors = normalize(reduced).astype(np.float32)
        names = vectorizer.get_feature_names_out()
        model = io.BytesIO()
        np.savez(
            model,
            terms=names.astype(str),
            idf=vectorizer.idf_.astype(np.float32),
            components=svd.components_.astype(np.float16),
        )
        return Embedding(vectors, self._terms(weights, names), model.getvalue())

    def _terms(self, weights, names):
        terms = []
        for row in range(weights.shape[0]):
            start, end = weights.indptr[row], weights.indptr[row + 1]
            order = np.argsort(-weights.data[start:end])[: self.term_count]
            terms.append([str(names[weights.indices[start + i]]) for i in order])
        return terms

    @classmethod
    def load(cls, model):
        """What embeds queries in the space of the fit that made `model`."""
        return QueryEncoder(model)


class QueryEncoder:
    def __init__(self, model):
        arrays = np.load(io.BytesIO(bytes(model)), allow_pickle=False)
        terms = arrays["terms"]
        self.vectorizer = TfidfSvd.vectorizer(
            large=True, vocabulary={str(term): i for i, term in enumerate(terms)}
        )
        self.vectorizer.idf_ = arrays["idf"]
        self.components = arrays["components"].astype(np.float32)

    def embed(self, text):
        """The query's unit vector, or None when none of its words is known."""
        weights = self.vectorizer.transform([text])
        if weights.nnz == 0:
            return None
        vector = (weights @ self.components.T).ravel()
        norm = np.linalg.norm(vector)
        return (vector / norm).astype(np.float32) if norm else None


EMBEDDERS = {TfidfSvd.name: TfidfSvd}
