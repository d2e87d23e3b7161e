from django.core.exceptions import DisallowedHost


def canonical_url(request):
    """The page's address without its query string, for <link rel="canonical"> and og:url."""
    try:
        return {"canonical_url": request.build_absolute_uri(request.path)}
    except DisallowedHost:  # rendering the 400 page for a Host header Django refused
        return {"canonical_url": request.path}
