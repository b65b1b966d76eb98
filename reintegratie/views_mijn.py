"""Stub: to be written."""

from django.http import Http404


def mijn(request, **kwargs):
    raise Http404


def plan_response(request, **kwargs):
    raise Http404


def trajectory_ack(request, **kwargs):
    raise Http404


def report_seen(request, **kwargs):
    raise Http404


def machtiging_decide(request, **kwargs):
    raise Http404


def machtiging_revoke(request, **kwargs):
    raise Http404
