"""Medical documents and correspondence (MD-1): filled in by a later change."""

__all__: list[str] = []
