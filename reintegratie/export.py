"""AV-3: re-integration's part of the data-subject export. Registered in
ReintegratieConfig.ready; privacy/ never imports this app (DESIGN.md).

Internal work notes excepted (AV-3): a progress report still in status *concept* is the
consultant's draft, shown to nobody yet; it enters the export once it is put before the employee
(ter inzage). Everything else is exported."""

from privacy.export import record, register_contributor
from verzuim.models import Werknemer

from . import models


def contribute(pseudonyms, *, by, request=None) -> dict:
    werknemer_ids = list(
        Werknemer.objects.filter(pseudonym__in=pseudonyms).values_list("pk", flat=True)
    )
    plans = []
    for plan in models.PlanVanAanpak.objects.filter(werknemer__in=werknemer_ids).order_by("pk"):
        row = record(
            plan,
            "drawn_up_on",
            "casemanager",
            "spoor",
            "goals",
            "version",
            "employee_response",
            "employee_remark",
            "employee_responded_at",
            "created_at",
            "updated_at",
        )
        row["versies"] = [
            {**record(v, "number", "summary", "saved_by", "saved_at"), "inhoud": v.snapshot}
            for v in plan.versies.select_related("saved_by").order_by("number")
        ]
        row["activiteiten"] = [
            record(a, "description", "owner", "due_on", "done_on")
            for a in plan.activiteiten.order_by("pk")
        ]
        row["evaluaties"] = [
            record(
                e,
                "kind",
                "date",
                "outcome",
                "plan_adjusted",
                "activities_done",
                "result",
                "spoor",
                "spoor_reason",
                "ad_onderzoek",
                "ad_onderzoek_on",
                "created_by",
                "created_at",
            )
            for e in plan.evaluaties.select_related("created_by").order_by("date", "pk")
        ]
        plans.append(row)
    correspondentie = [
        record(c, "date", "direction", "party", "subject", "summary", "created_by")
        for c in models.Correspondentie.objects.filter(werknemer__in=werknemer_ids)
        .select_related("created_by")
        .order_by("date", "pk")
    ]
    verslagen = [
        {**record(v, "generated_at", "given_to_employee_at"), "inhoud": v.snapshot}
        for v in models.Reintegratieverslag.objects.filter(werknemer__in=werknemer_ids).order_by(
            "pk"
        )
    ]
    bundels = [
        {
            **record(b, "made_at", "received_at", "pages", "size", "sha256"),
            "inhoud": [{"document": p["label"], "versie": p["version"]} for p in b.parts],
        }
        for b in models.Verslagbundel.objects.filter(werknemer__in=werknemer_ids)
        .defer("pdf_encrypted")
        .order_by("pk")
    ]
    trajecten = []
    for trajectory in (
        models.Trajectory.objects.filter(werknemer__in=werknemer_ids)
        .select_related("provider", "organisation", "commissioned_by")
        .order_by("pk")
    ):
        row = record(
            trajectory,
            "organisation",
            "provider",
            "category",
            "commissioner_kind",
            "commissioned_by",
            "data_items",
            "status",
            "start_on",
            "end_on",
            "employee_informed_at",
            "client_number",
            "created_at",
        )
        row["medewerkers"] = [
            record(s, "user", "function", "assigned_at")
            for s in trajectory.staff.select_related("user").order_by("pk")
        ]
        row["voortgangsrapportages"] = [
            record(
                r,
                "period_end",
                "attendance",
                "cooperating",
                "cooperation_explanation",
                "progress",
                "next_steps",
                "status",
                "shared_with_employee_at",
                "employee_seen_at",
                "employee_remark",
                "released_at",
            )
            for r in trajectory.reports.exclude(status=models.ReportStatus.CONCEPT).order_by("pk")
        ]
        row["facturen"] = [
            record(f, "number", "date", "hours", "amount")
            for f in trajectory.invoices.order_by("pk")
        ]
        trajecten.append(row)
    machtigingen = [
        record(
            m,
            "requester_name",
            "party",
            "data_description",
            "purpose",
            "valid_from",
            "valid_until",
            "text_version",
            "full_text",
            "status",
            "requested_at",
            "decided_at",
            "revoked_at",
        )
        for m in models.Machtiging.objects.filter(werknemer__in=werknemer_ids).order_by("pk")
    ]
    zienswijzen = [
        record(z, "document_kind", "document_id", "document_version", "text", "created_at")
        for z in models.Zienswijze.objects.filter(werknemer__in=werknemer_ids).order_by("pk")
    ]
    ondertekeningen = [
        {
            **record(
                s,
                "document_type",
                "document_version",
                "role",
                "signer",  # by role only: other people are not named in the export (AV-6)
                "agreed",
                "remark",
                "signed_at",
                "content_hash",
            ),
            "controlecode": s.check_code,
        }
        for s in models.Ondertekening.objects.filter(werknemer__in=werknemer_ids)
        .select_related("signer")
        .order_by("pk")
    ]
    return {
        "plannen van aanpak": plans,
        "zienswijzen": zienswijzen,
        "ondertekeningen": ondertekeningen,
        "correspondentie": correspondentie,
        "re-integratieverslagen": verslagen,
        "re-integratieverslagen voor UWV": bundels,
        "trajecten": trajecten,
        "machtigingen": machtigingen,
    }


def register_reintegratie_export():
    register_contributor(
        "reintegratie",
        "Re-integratie",
        covers=(
            models.PlanVanAanpak,
            models.PlanVersie,
            models.Activiteit,
            models.Evaluatie,
            models.Correspondentie,
            models.Reintegratieverslag,
            models.Verslagbundel,
            models.Trajectory,
            models.TrajectoryStaff,
            models.Voortgangsrapportage,
            models.Factuur,
            models.Machtiging,
            models.Zienswijze,
            models.Ondertekening,
        ),
        contribute=contribute,
    )
