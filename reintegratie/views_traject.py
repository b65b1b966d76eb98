"""Stub: to be written."""

from django.http import Http404


def trajectory_list(request, **kwargs):
    raise Http404


def trajectory_create(request, **kwargs):
    raise Http404


def trajectory_detail(request, **kwargs):
    raise Http404


def subcontract_create(request, **kwargs):
    raise Http404


def staff_assign(request, **kwargs):
    raise Http404


def trajectory_informed(request, **kwargs):
    raise Http404


def report_create(request, **kwargs):
    raise Http404


def report_share(request, **kwargs):
    raise Http404


def report_release(request, **kwargs):
    raise Http404


def doctor_note_create(request, **kwargs):
    raise Http404


def invoice_create(request, **kwargs):
    raise Http404


def invoice(request, **kwargs):
    raise Http404


def machtiging_create(request, **kwargs):
    raise Http404


def machtiging_use(request, **kwargs):
    raise Http404
