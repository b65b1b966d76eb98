"""The beheerder's retention pages (RT-5, RT-6, AV-1): the dry-run report and "Nu opschonen",
the progress of a run, the processing register generated from the registry, legal holds and
extensions. Only the beheerder (policies.can_manage_retention); everyone else gets 403.

Views parse and check; retention.actions changes state and audits. No page shows personal
data: records are named by category and number (the models hold none, retention/models.py)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.gates import gate
from accounts.viewhelpers import apply_errors as _apply_errors
from accounts.viewhelpers import posted as _posted
from privacy import csv_export

from . import actions, drift, policies, processing_register, registry
from .forms import ExtensionForm, LegalHoldForm, StartRunForm
from .models import LegalHold, PurgeRun, RetentionExtension
from .purge import dry_run

RECENT_RUNS = 10


def _labels():
    return registry.labels()


def _with_labels(rows):
    labels = _labels()
    rows = list(rows)
    for row in rows:
        row.category_label = labels.get(row.category, row.category)
    return rows


def _labelled_counts(counts: dict, labels: dict) -> list[tuple[str, str, int]]:
    return [(key, labels.get(key, key), count) for key, count in sorted(counts.items())]


# --- Dry run and runs (RT-6) ------------------------------------------------------------------


@require_GET
@gate(policies.can_manage_retention)
def index(request):
    rows = dry_run()
    labels = _labels()
    runs = [
        (run, _labelled_counts(run.counts, labels)) for run in PurgeRun.objects.all()[:RECENT_RUNS]
    ]
    check = drift.last_check()
    return render(
        request,
        "retention/index.html",
        {
            "rows": rows,
            "total": sum(row.count for row in rows),
            "runs": runs,
            "running": actions.running_run(),
            "check": check,
            "check_rows": drift.labelled(check),
            "form": StartRunForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@gate(policies.can_manage_retention)
def start(request):
    run, started = actions.start_run(by=request.user, request=request)
    if started:
        messages.success(request, "De opschoonrun is gestart.")
    else:
        messages.info(request, "Er loopt al een opschoonrun; hieronder ziet u de voortgang.")
    return redirect("retention:run", pk=run.pk)


def _status(run: PurgeRun) -> dict:
    # purge() sets total from the dry run before it starts; the total shown is never below
    # what is done, whatever else changed in the meantime.
    return {
        "done": run.done,
        "total": max(run.total, run.done),
        "current": run.current,
        "finished": run.finished_at is not None,
        "counts": run.counts,
    }


@require_GET
@gate(policies.can_manage_retention)
def run(request, pk):
    purge_run = get_object_or_404(PurgeRun, pk=pk)
    status = _status(purge_run)
    # <progress> needs max > 0: an empty run shows as complete once finished.
    progress_max = status["total"] or 1
    progress_value = status["done"] if status["total"] else int(status["finished"])
    return render(
        request,
        "retention/run.html",
        {
            "run": purge_run,
            "status": status,
            "progress_max": progress_max,
            "progress_value": progress_value,
            "counts": _labelled_counts(purge_run.counts, _labels()),
            "status_url": reverse("retention:run_status", args=[purge_run.pk]),
        },
    )


@require_GET
@gate(policies.can_manage_retention)
def run_status(request, pk):
    purge_run = get_object_or_404(PurgeRun, pk=pk)
    response = JsonResponse(_status(purge_run))
    response["Cache-Control"] = "no-store"
    return response


# --- Processing register (AV-1) ---------------------------------------------------------------


@require_GET
@gate(policies.can_manage_retention)
def register(request):
    return render(request, "retention/register.html", {"register": processing_register.build()})


@require_GET
@gate(policies.can_manage_retention)
def register_export(request, fmt):
    data = processing_register.build()
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        # SE-6: through the shared writer, like every CSV; csv_rows yields its header first.
        return csv_export.csv_response(
            f"verwerkingsregister-{stamp}.csv", None, processing_register.csv_rows(data)
        )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="verwerkingsregister-{stamp}.json"'
    return response


# --- Legal holds and extensions (RT-5, RT-6) --------------------------------------------------


@require_http_methods(["GET", "POST"])
@gate(policies.can_manage_retention)
def holds(request):
    form = LegalHoldForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            hold = actions.place_hold(by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Legal hold geplaatst op {hold.category} #{hold.object_id} tot en met "
                f"{hold.until:%d-%m-%Y}.",
            )
            return redirect("retention:holds")
    today = timezone.localdate()
    active = LegalHold.objects.filter(lifted_at__isnull=True, until__gte=today).order_by(
        "until", "pk"
    )
    return render(
        request,
        "retention/holds.html",
        {"form": form, "holds": _with_labels(active)},
    )


@require_POST
@gate(policies.can_manage_retention)
def hold_lift(request, pk):
    hold = get_object_or_404(LegalHold, pk=pk)
    if actions.lift_hold(by=request.user, hold=hold, request=request):
        messages.success(
            request, f"De legal hold op {hold.category} #{hold.object_id} is opgeheven."
        )
    return redirect("retention:holds")


@require_http_methods(["GET", "POST"])
@gate(policies.can_manage_retention)
def extension(request):
    form = ExtensionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            recorded = actions.record_extension(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"De bewaartermijn van {recorded.category} #{recorded.object_id} is verlengd "
                f"tot en met {recorded.extended_until:%d-%m-%Y}.",
            )
            return redirect("retention:extension")
    return render(
        request,
        "retention/extension.html",
        {
            "form": form,
            "extensions": _with_labels(
                RetentionExtension.objects.filter(
                    extended_until__gte=timezone.localdate()
                ).order_by("extended_until", "pk")
            ),
            "extendable": actions.categories_with_extension(),
        },
    )
