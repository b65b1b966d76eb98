"""Stub: to be written."""

from django.http import Http404


def plan(request, **kwargs):
    raise Http404


def activity_create(request, **kwargs):
    raise Http404


def activity_done(request, **kwargs):
    raise Http404


def evaluatie_create(request, **kwargs):
    raise Http404


def plan_version(request, **kwargs):
    raise Http404


def dossier(request, **kwargs):
    raise Http404


def correspondentie_create(request, **kwargs):
    raise Http404


def verslag_create(request, **kwargs):
    raise Http404


def verslag(request, **kwargs):
    raise Http404


def verslag_give(request, **kwargs):
    raise Http404
