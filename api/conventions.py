"""Conventions of the read API, kept apart from its views so that settings can name them
without importing the views (drf-spectacular would import them back: a cycle)."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class StrictPageNumberPagination(PageNumberPagination):
    """?page= is a whole number from 1; anything else (even "last") is a 404, as documented."""

    last_page_strings = ()

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and not (page.isascii() and page.isdigit()):
            raise NotFound("Invalid page.")
        return super().paginate_queryset(queryset, request, view)


ERROR = {
    "description": "",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "{'detail': message}, or a list of messages per parameter.",
                "additionalProperties": True,
            }
        }
    },
}


def document_conventions(result, generator, request, public):
    """drf-spectacular hook: every operation may answer 404, lists also 400 (a bad filter);
    an empty filter value means "no filter", as when an HTML form sends an empty field."""
    for route, operations in result["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] != "page":
                    parameter["allowEmptyValue"] = True
            responses = operation.setdefault("responses", {})
            responses.setdefault("404", {**ERROR, "description": "Not found, or no such page."})
            if not route.endswith("{slug}/"):
                responses.setdefault(
                    "400", {**ERROR, "description": "A filter was not understood."}
                )
    return result
