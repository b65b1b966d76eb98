"""Stub: to be written."""

from django.http import Http404


def maatregel_create(request, **kwargs):
    raise Http404


def maatregel_end(request, **kwargs):
    raise Http404


def rapportage(request, **kwargs):
    raise Http404


def rapportage_csv(request, **kwargs):
    raise Http404
