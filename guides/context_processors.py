def canonical_url(request):
    """The page's address without its query string, for <link rel="canonical"> and og:url."""
    return {"canonical_url": request.build_absolute_uri(request.path)}
