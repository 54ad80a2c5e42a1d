from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page-numbered lists: ``?page=2&page_size=50`` (at most 200 a page)."""

    page_size_query_param = "page_size"
    max_page_size = 200


class FreshnessPagination(Pagination):
    """A page of computed results that also says how fresh they are: ``updating`` is true while
    a recompute for them is pending or running, ``computed_at`` is when they were computed. The
    view sets ``freshness`` (a dict of the two) before paginating."""

    freshness: dict = {}

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data.update(self.freshness)
        return response

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["properties"]["updating"] = {"type": "boolean"}
        body["properties"]["computed_at"] = {
            "type": "string",
            "format": "date-time",
            "nullable": True,
        }
        body["required"] = [*body.get("required", []), "updating", "computed_at"]
        return body
