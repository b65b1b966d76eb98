"""Stub: to be written."""

from django.http import Http404


def verklaring(request, **kwargs):
    raise Http404


def verklaringen(request, **kwargs):
    raise Http404


def verklaring_intrekken(request, **kwargs):
    raise Http404


def index(request, **kwargs):
    raise Http404


def werknemer(request, **kwargs):
    raise Http404


def registercheck(request, **kwargs):
    raise Http404


def noriskpolis(request, **kwargs):
    raise Http404


def vog(request, **kwargs):
    raise Http404


def geboorteland(request, **kwargs):
    raise Http404


def kandidaat_create(request, **kwargs):
    raise Http404


def kandidaat_registercheck(request, **kwargs):
    raise Http404


def bsn_reveal(request, **kwargs):
    raise Http404


def bsn_export(request, **kwargs):
    raise Http404


def voorkeursbeleid(request, **kwargs):
    raise Http404


def voorkeursbeleid_end(request, **kwargs):
    raise Http404


def mijn(request, **kwargs):
    raise Http404


def bezwaar(request, **kwargs):
    raise Http404
