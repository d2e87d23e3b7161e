from django.dispatch import Signal

# Sent (inside its transaction) when a new fit replaces every paper's vector: what shows
# related papers is stale (website empties its stored cards and pages).
embeddings_fitted = Signal()
