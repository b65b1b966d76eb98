"""The reports to UWV of a case (RI-11, DG-2): per report a printable page with exactly the data
UWV asks (verzuim.uwv), a form for the facts the case lacks, and the place to record the
submission's date and UWV reference, which completes the Poortwachter step. Employer side only
(HR and werkgever of the case's employer: verzuim.policies.can_file_ziekmelding); SE-9: the case
is looked up through queries (404 for missing and forbidden alike). The BSN is shown in full only
here, and every showing is audited as a read of the BSN (verzuim.actions.uwv.reveal_bsn)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.errors import require
from accounts.viewhelpers import posted
from verzuim import policies, queries, uwv
from verzuim.actions import uwv as uwv_actions
from verzuim.forms import UwvFactsForm, UwvSubmissionForm, submit


def _report(slug):
    report = uwv.REPORTS.get(slug)
    if report is None:
        raise Http404
    return report


def _page(request, zm, report, *, facts_form=None, submission_form=None, status=200):
    prepared = uwv.prepare(report, zm)
    if prepared.shows_bsn:
        uwv_actions.reveal_bsn(by=request.user, prepared=prepared, request=request)
    if facts_form is None and prepared.asked:
        facts_form = UwvFactsForm(asked=prepared.asked)
    if submission_form is None:
        submission_form = UwvSubmissionForm(initial={"completed_on": timezone.localdate()})
    return render(
        request,
        "verzuim/uwv_melding.html",
        {
            "zm": prepared.zm,
            "report": report,
            "prepared": prepared,
            "facts_form": facts_form if prepared.asked else None,
            "submission_form": submission_form,
            "done": prepared.deadline is not None and prepared.deadline.state == "done",
        },
        status=status,
    )


def uwv_melding(request, pk, report):
    """RI-11: the report page; a POST stores the facts the report lacks (asked at the field)."""
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    report = _report(report)
    if request.method != "POST":
        return _page(request, zm, report)
    prepared = uwv.prepare(report, zm)
    form = UwvFactsForm(posted(request), asked=prepared.asked)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
        saved = submit(
            form,
            uwv_actions.save_facts,
            by=request.user,
            ziekmelding=prepared.zm,
            request=request,
            **data,
        )
        if saved:
            messages.success(request, "De ontbrekende gegevens zijn vastgelegd.")
            return redirect("verzuim:uwv_melding", pk=zm.pk, report=report.slug)
    return _page(request, zm, report, facts_form=form)


def uwv_ingediend(request, pk, report):
    """RI-11: record that the report was made to UWV - the date and UWV's reference - which
    completes the Poortwachter step of the case."""
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    report = _report(report)
    if request.method != "POST":
        return redirect("verzuim:uwv_melding", pk=zm.pk, report=report.slug)
    form = UwvSubmissionForm(posted(request))
    if form.is_valid():
        done = submit(
            form,
            uwv_actions.record_submission,
            by=request.user,
            ziekmelding=zm,
            report=report,
            request=request,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, f"De melding '{report.title}' is als ingediend vastgelegd.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return _page(request, zm, report, submission_form=form)
