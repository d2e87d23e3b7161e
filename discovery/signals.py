from django.dispatch import Signal

# Sent (inside its transaction) when a new fit replaces every paper's vector: what shows
# related papers is stale (website empties its stored cards and pages).
embeddings_fitted = Signal()

# Sent (inside its transaction) when conference maps are computed again.
maps_computed = Signal()
