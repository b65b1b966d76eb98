"""One sick report (ZM-1, ZM-5, RI-1): filing it, changing it, the case page with its
Poortwachter timeline, herstel, completing a deadline, and the export for the verzuimverzekeraar
(MD-6). SE-9: every case is looked up through queries (404 for missing and forbidden alike);
SE-7: the case page is audited; MD-5: the doctor's released advice comes through medisch.public.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.errors import require
from accounts.gates import gate
from accounts.viewhelpers import posted
from medisch.public import leave_joins, released_advice
from privacy import audit
from privacy.models import AuditAction
from verzuim import deadlines, insurer, policies, poortwachter, queries, uwv
from verzuim.actions import termijnen
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.forms import (
    HerstelForm,
    StepCompletionForm,
    UndoCompletionForm,
    VerlengingForm,
    VerlofForm,
    ZiekmeldingForm,
    submit,
)
from verzuim.models import (
    DeadlineCompletion,
    Noodinformatie,
    Verlof,
    WachttijdVerlenging,
    Ziekmelding,
)
from verzuim.poortwachter import week_label


@gate(policies.can_file_ziekmelding)
def ziekmelding_create(request):
    werknemers = queries.werknemers_visible_to(request.user).filter(
        Q(employment_end__isnull=True)
        | Q(employment_end__gte=timezone.localdate() - timezone.timedelta(days=60))
    )
    initial = {"first_day": timezone.localdate()}
    if request.GET.get("werknemer", "").isdigit():
        initial["werknemer"] = request.GET["werknemer"]
    form = ZiekmeldingForm(posted(request), werknemers=werknemers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "werknemer"}
        zm = submit(
            form,
            ziekmelding_actions.create_ziekmelding,
            by=request.user,
            werknemer=form.cleaned_data["werknemer"],
            request=request,
            **data,
        )
        if zm is not None:
            messages.success(request, f"Ziekmelding van {zm.werknemer.full_name} vastgelegd.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(request, "verzuim/ziekmelding_form.html", {"form": form, "creating": True})


def ziekmelding_edit(request, pk):
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    form = ZiekmeldingForm(
        posted(request), instance=zm, editing=True, initial={"version": zm.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        saved = submit(
            form,
            ziekmelding_actions.update_ziekmelding,
            by=request.user,
            ziekmelding=zm,
            request=request,
            version=form.cleaned_data["version"] or 0,
            **data,
        )
        if saved is not None:
            messages.success(request, "De ziekmelding is bijgewerkt.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(request, "verzuim/ziekmelding_form.html", {"form": form, "ziekmelding": zm})


def _completions(zm) -> dict:
    """(key, occurrence) → the completion that counts, with who and what proves it (RI-1)."""
    return {
        (c.key, c.occurrence): c
        for c in DeadlineCompletion.objects.filter(
            case_id=zm.case_id, undone_at__isnull=True
        ).select_related("completed_by")
    }


def _timeline_rows(timeline, completions, is_employer):
    """(deadline, its completion) for the case page: who completed it and what proves it is
    shown to the employer side (RI-1)."""
    shown = completions if is_employer else {}
    return [(d, shown.get((d.key, d.occurrence))) for d in timeline]


def _verloven(zm):
    """ZM-5: the employee's Wazo leaves and the doctor's same-cause yes/no per judged leave
    (through medisch.public: only the yes/no crosses)."""
    leaves = list(Verlof.objects.filter(werknemer=zm.werknemer))
    return leaves, (leave_joins([v.pk for v in leaves]) if leaves else {})


def ziekmelding_detail(request, pk):
    zm = queries.ziekmelding_for(request.user, pk)
    chain = list(Ziekmelding.objects.filter(case_id=zm.case_id).order_by("first_day"))
    # Each record read once and handed to the engine (issue 20: the page read the completions,
    # leaves and extensions twice, once for the engine and once to show them).
    completions = _completions(zm)
    leaves, judged = _verloven(zm)
    verlengingen = list(WachttijdVerlenging.objects.filter(case_id=zm.case_id))
    timeline = deadlines.deadlines_for(
        zm,
        chain=chain,
        completed={key: c.completed_on for key, c in completions.items()},
        leaves=[
            poortwachter.Leave(start=v.start, end=v.end, same_cause=judged.get(v.pk))
            for v in leaves
        ],
        extensions=[
            poortwachter.WageExtension(kind=e.kind, start=e.start, end=e.end) for e in verlengingen
        ],
    )
    audit.record(
        AuditAction.READ,
        "verzuim.ziekmelding",
        [zm.pk],
        subject=zm.werknemer.pseudonym,
        detail="ziekmelding ingezien",
        request=request,
    )
    is_employer = policies.can_file_ziekmelding(request.user)
    return render(
        request,
        "verzuim/ziekmelding_detail.html",
        {
            "zm": zm,
            "chain": chain,
            "timeline": timeline,
            "herstelmeldingen": zm.herstelmeldingen.all(),
            # MD-5: the doctor's released advice is the only thing from the medical module here.
            "adviezen": released_advice(
                zm.case_id, subject=zm.werknemer.pseudonym, request=request
            ),
            "can_file": is_employer and zm.is_open,
            "can_complete": is_employer,
            # RI-11: the reports to UWV, each a page of its own (verzuim.views.uwv).
            "uwv_reports": list(uwv.REPORTS.values()) if is_employer else [],
            "rows": _timeline_rows(timeline, completions, is_employer),
            # RI-1: the same next deadline the overview, dashboard, signals and API show.
            "upcoming": deadlines.next_open(timeline, chain),
            # Per leave only whether the periods around it are joined (unjudged: joined).
            "verloven": [(v, judged.get(v.pk, True)) for v in leaves] if is_employer else [],
            "verlengingen": verlengingen,
            "herstel_form": HerstelForm(initial={"date": timezone.localdate()}),
            "noodinformatie": Noodinformatie.objects.filter(werknemer=zm.werknemer).first()
            if policies.can_read_cases(request.user)
            else None,
        },
    )


def ziekmelding_herstel(request, pk):
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    form = HerstelForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        herstel = submit(
            form,
            ziekmelding_actions.record_herstel,
            by=request.user,
            ziekmelding=zm,
            request=request,
            kind=form.cleaned_data["kind"],
            date=form.cleaned_data["date"],
            absence_percentage=form.cleaned_data["absence_percentage"],
        )
        if herstel is not None:
            messages.success(request, "De herstelmelding is vastgelegd.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(request, "verzuim/herstel_form.html", {"form": form, "zm": zm})


def insurer_export(request, pk, fmt):
    """MD-6: the case's export for the verzuimverzekeraar (employer side)."""
    if fmt not in ("csv", "json"):
        raise Http404
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    content, content_type = insurer.export(zm, fmt, request=request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="verzuimverzekeraar-{zm.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _deadline_of(zm, key, occurrence):
    """The deadline a step page is about: 404 for an unknown or not-shown step."""
    found = {(d.key, d.occurrence): d for d in deadlines.deadlines_for(zm)}
    deadline = found.get((key, occurrence))
    if deadline is None:
        raise Http404
    return deadline


def deadline_complete(request, pk, key, occurrence):
    """RI-1: mark a step done - date, proof, confirmation. A document's step has no such page:
    it is completed by recording the document."""
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    deadline = _deadline_of(zm, key, occurrence)
    if deadline.completion != "step" or deadline.state in ("done", "not_applicable"):
        raise Http404
    form = StepCompletionForm(posted(request), initial={"completed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            termijnen.complete_step,
            by=request.user,
            ziekmelding=zm,
            key=key,
            occurrence=occurrence,
            request=request,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, f"{week_label(deadline)} is afgerond.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(
        request,
        "verzuim/step_form.html",
        {"form": form, "zm": zm, "deadline": deadline, "undo": False},
    )


def deadline_undo(request, pk, key, occurrence):
    """RI-1: undo a step's completion, with a reason."""
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    deadline = _deadline_of(zm, key, occurrence)
    if deadline.completion != "step" or deadline.state != "done":
        raise Http404
    form = UndoCompletionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            termijnen.undo_completion,
            by=request.user,
            ziekmelding=zm,
            key=key,
            occurrence=occurrence,
            reason=form.cleaned_data["reason"],
            request=request,
        )
        if done:
            messages.success(request, f"De afronding van {week_label(deadline)} is ongedaan.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(
        request,
        "verzuim/step_form.html",
        {"form": form, "zm": zm, "deadline": deadline, "undo": True},
    )


def verlof_create(request, pk):
    """ZM-5: record pregnancy and birth leave of the employee of this case."""
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    form = VerlofForm(posted(request))
    if request.method == "POST" and form.is_valid():
        verlof = submit(
            form,
            termijnen.record_verlof,
            by=request.user,
            werknemer=zm.werknemer,
            request=request,
            **form.cleaned_data,
        )
        if verlof is not None:
            messages.success(request, "Het zwangerschaps- en bevallingsverlof is vastgelegd.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(
        request, "verzuim/case_record_form.html", {"form": form, "zm": zm, "what": "verlof"}
    )


def verlenging_create(request, pk):
    """RI-1: record a loonsanctie or a voluntary extension of the wage payment."""
    zm = queries.ziekmelding_for(request.user, pk)
    require(policies.can_file_ziekmelding(request.user))
    form = VerlengingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ext = submit(
            form,
            termijnen.record_verlenging,
            by=request.user,
            ziekmelding=zm,
            request=request,
            **form.cleaned_data,
        )
        if ext is not None:
            messages.success(request, f"{ext} is vastgelegd.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(
        request, "verzuim/case_record_form.html", {"form": form, "zm": zm, "what": "verlenging"}
    )
