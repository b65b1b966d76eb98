"""Stub."""


def consultant_panel(request):
    return None
