from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Pages by an opaque cursor: stable while rows are added, and no COUNT over the table
    (a million requests). `?page_size=` up to MAX."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-pk",)
