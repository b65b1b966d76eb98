"""Employer-side pages of verzuim: werknemers, ziekmeldingen, herstel, the case timeline, the
overview with statistics and export, and the employee's own page with emergency information.

Views parse and check; actions change state; queries scope (SE-9). Every page that shows a sick
report writes to the audit log (SE-7). Nothing here can show medical data (SE-4): the models
hold none (ZM-2)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.scoping import employer_organisation_ids
from accounts.viewhelpers import apply_errors as _apply_errors
from accounts.viewhelpers import posted as _posted
from accounts.viewhelpers import require as _require
from accounts.viewhelpers import search_term
from medisch.public import (
    keuringen_for_candidate,
    medical_report_parts_for_employee,
    released_advice,
)
from privacy import audit, csv_export
from privacy.models import AuditAction, AuditEvent

from . import actions, deadlines, policies, queries, stats
from .forms import (
    CsvImportForm,
    EndEmploymentForm,
    HerstelForm,
    NoodinformatieForm,
    OverviewFilterForm,
    WerknemerForm,
    ZiekmeldingForm,
)
from .models import Noodinformatie, Werknemer, Ziekmelding
from .poortwachter import format_date, week_label

PAGE_SIZE = 25


def _conflict(form):
    form.add_error(
        None,
        "Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw; "
        "uw invoer staat hieronder nog.",
    )


# --- Werknemers -------------------------------------------------------------------------------


def werknemer_list(request):
    _require(policies.can_view_werknemers(request.user))
    q, searched = search_term(request, "werknemers")
    if searched:
        return searched
    rows = queries.werknemers_visible_to(request.user).select_related("organisation")
    if q:
        rows = rows.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(personnel_number__iexact=q)
        )
    page = Paginator(rows.order_by("last_name", "first_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "verzuim/werknemer_list.html",
        {
            "page": page,
            "q": q,
            "can_manage": policies.can_manage_werknemers(request.user),
        },
    )


def werknemer_create(request):
    _require(policies.can_manage_werknemers(request.user))
    form = WerknemerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            werknemer = actions.create_werknemer(
                by=request.user, organisation=request.user.organisation, request=request, **data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{werknemer.full_name} is toegevoegd.")
            return redirect("verzuim:werknemer", pk=werknemer.pk)
    return render(request, "verzuim/werknemer_form.html", {"form": form, "creating": True})


def werknemer_detail(request, pk):
    werknemer = queries.werknemer_for(request.user, pk)
    _require(policies.can_view_werknemers(request.user))
    can_manage = policies.can_manage_werknemers(request.user)
    form = None
    if can_manage:
        form = WerknemerForm(
            _posted(request), instance=werknemer, initial={"version": werknemer.version}
        )
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                actions.update_werknemer(
                    by=request.user,
                    werknemer=werknemer,
                    version=form.cleaned_data["version"] or 0,
                    request=request,
                    **data,
                )
            except actions.Conflict:
                _conflict(form)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "De gegevens zijn opgeslagen.")
                return redirect("verzuim:werknemer", pk=werknemer.pk)
    elif request.method == "POST":
        raise PermissionDenied
    cases = list(werknemer.ziekmeldingen.all()[:20])
    audit.record(
        AuditAction.READ,
        "verzuim.werknemer",
        [werknemer.pk],
        subject=werknemer.pseudonym,
        detail="werknemer ingezien",
        request=request,
    )
    return render(
        request,
        "verzuim/werknemer_detail.html",
        {
            "werknemer": werknemer,
            "form": form,
            "cases": cases,
            "can_manage": can_manage,
            "end_form": EndEmploymentForm() if can_manage else None,
            "noodinformatie": Noodinformatie.objects.filter(werknemer=werknemer).first(),
        },
    )


@require_POST
def werknemer_end_employment(request, pk):
    werknemer = queries.werknemer_for(request.user, pk)
    _require(policies.can_manage_werknemers(request.user))
    form = EndEmploymentForm(request.POST)
    if form.is_valid():
        try:
            actions.end_employment(
                by=request.user,
                werknemer=werknemer,
                end_date=form.cleaned_data["end_date"],
                request=request,
            )
        except (ValidationError, actions.Conflict) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "De uitdienstdatum is vastgelegd.")
    else:
        messages.error(request, "Geef een geldige uitdienstdatum.")
    return redirect("verzuim:werknemer", pk=werknemer.pk)


def werknemer_import(request):
    _require(policies.can_manage_werknemers(request.user))
    form = CsvImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        created, problems = actions.import_werknemers_csv(
            by=request.user,
            organisation=request.user.organisation,
            content=form.cleaned_data["file"].read(),
            request=request,
        )
        if not problems:
            messages.success(request, f"{len(created)} werknemers geïmporteerd.")
            return redirect("verzuim:werknemers")
    return render(request, "verzuim/werknemer_import.html", {"form": form, "problems": problems})


# --- Ziekmeldingen ------------------------------------------------------------------------------


def _filtered_cases(request, q):
    user = request.user
    base = queries.ziekmeldingen_visible_to(user)
    werknemers = queries.werknemers_visible_to(user)
    # DISTINCT in the database (an index scan on organisation, department), not every
    # employee's row in Python.
    departments = list(
        werknemers.exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    form = OverviewFilterForm(request.GET or None, departments=departments)
    rows = base.select_related("werknemer")
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or "open"
    if status == "open":
        rows = rows.filter(recovered_on__isnull=True)
    elif status == "closed":
        rows = rows.filter(recovered_on__isnull=False)
    if data.get("department") or q:
        # Filters on the employee: scope the joined employees too, so the join starts from this
        # employer's employees (index on organisation) instead of every employee in the database
        # with that department or name. The cases are the employer's, so are their employees.
        rows = rows.filter(werknemer__organisation__in=employer_organisation_ids(user))
    if data.get("department"):
        rows = rows.filter(werknemer__department=data["department"])
    today = timezone.localdate()
    if data.get("deadline") == "overdue":
        rows = rows.filter(next_deadline_on__lt=today)
    elif data.get("deadline") == "due_soon":
        rows = rows.filter(
            next_deadline_on__gte=today, next_deadline_on__lte=today + timezone.timedelta(days=14)
        )
    if q:
        rows = rows.filter(
            Q(werknemer__first_name__icontains=q)
            | Q(werknemer__last_name__icontains=q)
            | Q(werknemer__personnel_number__iexact=q)
        )
    return form, rows.order_by("-first_day", "-pk")


def ziekmelding_list(request):
    _require(policies.can_read_cases(request.user))
    q, searched = search_term(request, "ziekmeldingen")
    if searched:
        return searched
    form, rows = _filtered_cases(request, q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_reads(
        page.object_list,
        object_type="verzuim.ziekmelding",
        subject_of=lambda zm: zm.werknemer.pseudonym,
        detail="verzuimoverzicht" + (" (zoekopdracht)" if q else ""),
        action=AuditAction.SEARCH if q else AuditAction.READ,
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "verzuim/ziekmelding_list.html",
        {
            "form": form,
            "page": page,
            "q": q,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_file": policies.can_file_ziekmelding(request.user),
        },
    )


CSV_HEADER = [
    "personeelsnummer",
    "naam",
    "afdeling",
    "eerste verzuimdag",
    "verzuimpercentage",
    "verwachte duur",
    "status",
    "hersteld per",
    "volgende termijn",
    "termijndatum",
]


def ziekmelding_export(request):
    """SE-4: the export carries only the ZM-1 administration, never medical data."""
    _require(policies.can_read_cases(request.user))
    q, _ = search_term(request, "ziekmeldingen")
    _, rows = _filtered_cases(request, q)
    rows = list(rows)
    audit.record_reads(
        rows,
        object_type="verzuim.ziekmelding",
        subject_of=lambda zm: zm.werknemer.pseudonym,
        detail="verzuimoverzicht geëxporteerd",
        action=AuditAction.EXPORT,
        request=request,
    )
    # SE-6: the shared writer neutralises a name or department that starts like a formula.
    return csv_export.csv_response(
        "verzuimoverzicht.csv",
        CSV_HEADER,
        (
            [
                zm.werknemer.personnel_number,
                zm.werknemer.full_name,
                zm.werknemer.department,
                format_date(zm.first_day),
                zm.percentage,
                zm.get_expected_duration_display(),
                "open" if zm.is_open else "hersteld",
                format_date(zm.recovered_on) if zm.recovered_on else "",
                week_label(zm.next_deadline_key) if zm.next_deadline_key else "",
                format_date(zm.next_deadline_on) if zm.next_deadline_on else "",
            ]
            for zm in rows
        ),
    )


def ziekmelding_stats(request):
    _require(policies.can_read_cases(request.user))
    today = timezone.localdate()
    months = stats.monthly(employer_organisation_ids(request.user), today=today)
    return render(
        request,
        "verzuim/ziekmelding_stats.html",
        {"months": months, "chart": stats.bar_chart(months)},
    )


def ziekmelding_create(request):
    _require(policies.can_file_ziekmelding(request.user))
    werknemers = queries.werknemers_visible_to(request.user).filter(
        Q(employment_end__isnull=True)
        | Q(employment_end__gte=timezone.localdate() - timezone.timedelta(days=60))
    )
    initial = {"first_day": timezone.localdate()}
    if request.GET.get("werknemer", "").isdigit():
        initial["werknemer"] = request.GET["werknemer"]
    form = ZiekmeldingForm(_posted(request), werknemers=werknemers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "werknemer"}
        try:
            zm = actions.meld_ziek(
                by=request.user, werknemer=form.cleaned_data["werknemer"], request=request, **data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Ziekmelding van {zm.werknemer.full_name} vastgelegd.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(request, "verzuim/ziekmelding_form.html", {"form": form, "creating": True})


def ziekmelding_edit(request, pk):
    zm = queries.ziekmelding_for(request.user, pk)
    _require(policies.can_file_ziekmelding(request.user))
    form = ZiekmeldingForm(
        _posted(request), instance=zm, editing=True, initial={"version": zm.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.update_ziekmelding(
                by=request.user,
                ziekmelding=zm,
                request=request,
                version=form.cleaned_data["version"] or 0,
                **data,
            )
        except actions.Conflict:
            _conflict(form)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "De ziekmelding is bijgewerkt.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(request, "verzuim/ziekmelding_form.html", {"form": form, "ziekmelding": zm})


def ziekmelding_detail(request, pk):
    zm = queries.ziekmelding_for(request.user, pk)
    chain = list(Ziekmelding.objects.filter(case_id=zm.case_id).order_by("first_day"))
    timeline = deadlines.deadlines_for(zm, chain=chain)
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
            "herstel_form": HerstelForm(initial={"date": timezone.localdate()}),
            "noodinformatie": Noodinformatie.objects.filter(werknemer=zm.werknemer).first()
            if policies.can_read_cases(request.user)
            else None,
        },
    )


def ziekmelding_herstel(request, pk):
    zm = queries.ziekmelding_for(request.user, pk)
    _require(policies.can_file_ziekmelding(request.user))
    form = HerstelForm(_posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.meld_herstel(
                by=request.user,
                ziekmelding=zm,
                request=request,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                absence_percentage=form.cleaned_data["absence_percentage"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "De herstelmelding is vastgelegd.")
            return redirect("verzuim:ziekmelding", pk=zm.pk)
    return render(request, "verzuim/herstel_form.html", {"form": form, "zm": zm})


def insurer_export(request, pk, fmt):
    """MD-6: the case's export for the verzuimverzekeraar (employer side)."""
    if fmt not in ("csv", "json"):
        raise Http404
    zm = queries.ziekmelding_for(request.user, pk)
    _require(policies.can_file_ziekmelding(request.user))
    from .insurer import export

    content, content_type = export(zm, fmt, request=request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="verzuimverzekeraar-{zm.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def deadline_complete(request, pk, key, occurrence):
    zm = queries.ziekmelding_for(request.user, pk)
    _require(policies.can_file_ziekmelding(request.user))
    keys = {d.key for d in deadlines.deadlines_for(zm)}
    if key not in keys:
        raise Http404
    actions.complete_deadline(
        by=request.user, ziekmelding=zm, key=key, occurrence=occurrence, request=request
    )
    messages.success(request, f"{week_label(key)} is afgevinkt.")
    return redirect("verzuim:ziekmelding", pk=zm.pk)


# --- The employee's own page (ZM-4) -----------------------------------------------------------


def _own_werknemer(request) -> Werknemer:
    werknemer = Werknemer.objects.filter(user=request.user).first()
    if werknemer is None or request.user.role != "werknemer":
        raise Http404
    return werknemer


# nosemgrep: vk-view-without-policy — own page; 404 unless the role is werknemer
def mijn_verzuim(request):
    """The employee's own page. An applicant with a login but no employment yet (MD-7) sees only
    their exam results and the access log."""
    if request.user.role != "werknemer":
        raise Http404
    werknemer = Werknemer.objects.filter(user=request.user).first()
    cases = list(werknemer.ziekmeldingen.all()[:10]) if werknemer else []
    info = Noodinformatie.objects.filter(werknemer=werknemer).first() if werknemer else None
    form = NoodinformatieForm(_posted(request), initial={"text": info.text if info else ""})
    if werknemer and request.method == "POST" and form.is_valid():
        actions.save_noodinformatie(
            by=request.user, werknemer=werknemer, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, "Uw noodinformatie is opgeslagen en zichtbaar voor uw werkgever.")
        return redirect("verzuim:mijn")
    if request.method == "POST" and not werknemer:
        raise Http404
    open_case = next((c for c in cases if c.is_open), None)
    subjects = {request.user.pseudonym} | ({werknemer.pseudonym} if werknemer else set())
    return render(
        request,
        "verzuim/mijn.html",
        {
            "werknemer": werknemer,
            "cases": cases,
            "info": info,
            "form": form,
            "adviezen": released_advice(
                open_case.case_id, subject=werknemer.pseudonym, request=request
            )
            if open_case
            else [],
            "access_log": medical_access_log(subjects),
            "keuringen": keuringen_for_candidate(request.user, request=request),
            "verslag_delen": medical_report_parts_for_employee(request.user, request=request),
        },
    )


def medical_access_log(subjects, limit=100):
    """AV-6: who accessed this person's medical data, when and how (from the audit log). A person
    is known by their employee pseudonym and, for exams before employment, their login's."""
    events = list(
        AuditEvent.objects.filter(
            subject__in=subjects, object_type__startswith="medisch."
        ).order_by("-seq")[:limit]
    )
    people = {
        u.pseudonym: u
        for u in User.objects.filter(
            pseudonym__in={e.actor for e in events} | {e.on_behalf_of for e in events}
        )
    }
    return [
        {
            "when": e.occurred_at,
            "who": people.get(e.actor),
            "role": e.actor_role,
            "action": e.get_action_display(),
            "what": e.detail,
            "on_behalf_of": people.get(e.on_behalf_of),
        }
        for e in events
    ]


@require_POST
def noodinformatie_intrekken(request):
    werknemer = _own_werknemer(request)
    if actions.withdraw_noodinformatie(by=request.user, werknemer=werknemer, request=request):
        messages.success(request, "Uw noodinformatie is ingetrokken en verwijderd.")
    return redirect("verzuim:mijn")
