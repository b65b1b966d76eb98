"""Stub."""


def employee_panel(request):
    return None
