"""The audit log (SE-7, NEN 7513): one append-only, hash-chained table, partitioned by month
(privacy/partitions.py: PostgreSQL range partitions on `occurred_at`, dropped whole when their
term has passed, each drop sealed in AuditSeal so the chain still verifies).

People are referred to by their stable pseudonymous ID (a UUID), never by a foreign key: purging
a case must not cascade into its access log, nor be blocked by it (DESIGN.md). The log never
holds the content that was accessed, only what kind of object and which IDs.
"""

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "aangemaakt"
    READ = "read", "ingezien"
    UPDATE = "update", "gewijzigd"
    DELETE = "delete", "verwijderd"
    EXPORT = "export", "geëxporteerd/afgedrukt"
    SEARCH = "search", "gezocht"
    EMERGENCY = "emergency", "noodtoegang"


# SE-7: append-only, with one exception — the chainer's one-time fill of a new row's NULL chain
# fields (privacy.audit.chain_pending). Every other UPDATE, and every DELETE, raises: a chained
# row (hash set) can never change, and filling may not touch any other column (compared as the
# whole row minus the chain fields, so a column added later is covered without a change here).
APPEND_ONLY_FUNC = """
IF TG_OP = 'UPDATE'
   AND OLD.hash IS NULL AND OLD.seq IS NULL AND OLD.prev_hash IS NULL
   AND NEW.hash IS NOT NULL AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL
   AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash')
       = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash')
THEN
    RETURN NEW;
END IF;
RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;
"""


class AuditEvent(models.Model):
    # The chain fields are NULL from the INSERT until the chainer fills them, once (SE-7).
    # Unique with `occurred_at` (PostgreSQL asks the partition key in every unique constraint of
    # a partitioned table); `seq` itself stays unique because only the chainer assigns it, under
    # its lock, one past the last, and verify() reports a gap or a double.
    seq = models.BigIntegerField("volgnummer", null=True, blank=True)
    occurred_at = models.DateTimeField("tijdstip", db_index=True)
    action = models.CharField("gebeurtenis", max_length=16, choices=AuditAction.choices)
    subject = models.UUIDField("betrokkene (pseudoniem)", null=True, blank=True, db_index=True)
    # A list, search or export (record_reads): the pseudonym of each object's person, parallel to
    # object_ids (same order, same length), so one row per page view still says whose data each
    # object was (SE-7). Empty for an event about one object or one person (`subject`).
    subjects = ArrayField(
        models.UUIDField(null=True),
        verbose_name="betrokkenen per object (pseudoniemen)",
        default=list,
        blank=True,
    )
    actor = models.UUIDField("gebruiker (pseudoniem)", null=True, blank=True, db_index=True)
    actor_role = models.CharField("rol van de gebruiker", max_length=32, blank=True)
    on_behalf_of = models.UUIDField("verantwoordelijke (pseudoniem)", null=True, blank=True)
    ip_address = models.GenericIPAddressField("toegangspunt (IP)", null=True, blank=True)
    object_type = models.CharField("soort object", max_length=64)
    object_ids = models.JSONField("objecten", default=list)
    detail = models.CharField("omschrijving (geen inhoud)", max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64, null=True, blank=True)
    hash = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        # The table is partitioned by month on occurred_at and its primary key in the database
        # is (id, occurred_at) (migration 0009); `id` alone stays unique through its sequence
        # and is what Django looks rows up by.
        verbose_name = "auditregel"
        verbose_name_plural = "auditlog"
        ordering = ["id"]  # insertion order; `seq` is the chain's order once chained
        indexes = [
            # AV-6: "who read my data" finds list rows by `subjects && ARRAY[...]`.
            GinIndex(fields=["subjects"], name="privacy_audit_subjects_gin"),
            # SE-7: the chainer's work list, small whatever the log's size.
            models.Index(
                fields=["id"], name="privacy_audit_unchained", condition=models.Q(hash__isnull=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["seq", "occurred_at"], name="privacy_audit_seq_uniq"),
            models.UniqueConstraint(fields=["hash", "occurred_at"], name="privacy_audit_hash_uniq"),
        ]
        triggers = [
            # Append-only in the database itself: UPDATE and DELETE raise, except the chainer's
            # one-time fill (APPEND_ONLY_FUNC). Only the log's own retention purge may lift this,
            # with pgtrigger.ignore (LIBRARIES.md).
            pgtrigger.Trigger(
                name="append_only",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=APPEND_ONLY_FUNC,
            ),
        ]

    def __str__(self):
        return f"#{self.seq or '-'} {self.action} {self.object_type}"


class AuditSeal(models.Model):
    """SE-7: what remains of a month of the audit log dropped at the end of its term
    (privacy/partitions.py): how many rows, which sequence numbers, and the hash of every row of
    it that a later row links to (`links`, {seq: hash}; as a rule the month's last row, plus any
    row chained after a row of the next month). verify() accepts a link to a dropped row only
    when a seal names it, so a month removed any other way still reads as rows missing.
    Append-only like the log. `purge_run` is the number of the PurgeRun that dropped it (a
    number, not a foreign key: the seal outlives the run's record and is never changed)."""

    month = models.DateField("maand (eerste dag)", unique=True)
    partition = models.CharField("partitie", max_length=63)
    rows = models.BigIntegerField("regels")
    first_seq = models.BigIntegerField("eerste volgnummer", null=True, blank=True)
    last_seq = models.BigIntegerField("laatste volgnummer", null=True, blank=True)
    links = models.JSONField("schakels naar latere regels", default=dict)
    dropped_at = models.DateTimeField("verwijderd op", auto_now_add=True)
    purge_run = models.PositiveIntegerField("opschoonrun", null=True, blank=True)

    class Meta:
        verbose_name = "zegel van een verwijderde auditmaand"
        verbose_name_plural = "zegels van verwijderde auditmaanden"
        ordering = ["month"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"{self.partition}: {self.rows} regels"


class Recipient(models.TextChoices):
    """Who receives data in an outgoing flow (RI-9)."""

    WERKGEVER = "werkgever", "werkgever"
    ARBODIENST = "arbodienst", "arbodienst / bedrijfsarts"
    REINTEGRATIEBEDRIJF = "reintegratiebedrijf", "re-integratiebedrijf"
    WERKNEMER = "werknemer", "de werknemer zelf"
    VERZEKERAAR = "verzekeraar", "verzuimverzekeraar"
    BEHANDELAAR = "behandelaar", "huisarts of behandelend specialist"


class LegalBasis(models.TextChoices):
    """The fixed list of legal bases an outgoing flow may name (RI-9, AVG art. 6 and 9)."""

    POORTWACHTER = (
        "poortwachter",
        "wettelijke plicht: Wet verbetering poortwachter, art. 7:658a BW (AVG art. 6 lid 1c; "
        "UAVG art. 30)",
    )
    ZIEKTEWET = "ziektewet", "wettelijke plicht: Ziektewet / Wet WIA (AVG art. 6 lid 1c)"
    ARBOWET = "arbowet", "wettelijke plicht: Arbeidsomstandighedenwet art. 14 (AVG art. 6 lid 1c)"
    ARBEIDSOVEREENKOMST = (
        "arbeidsovereenkomst",
        "uitvoering van de arbeidsovereenkomst (AVG art. 6 lid 1b)",
    )
    GERECHTVAARDIGD_BELANG = (
        "gerechtvaardigd_belang",
        "gerechtvaardigd belang van de werkgever (AVG art. 6 lid 1f)",
    )
    BETROKKENE = "betrokkene", "verstrekking aan de betrokkene zelf (AVG art. 15)"
    TOESTEMMING = (
        "toestemming",
        "uitdrukkelijke toestemming (machtiging, AVG art. 9 lid 2a)",
    )


# RI-9: consent is never the basis for reporting to the employer or the arbodienst (the employee
# is not free to refuse). Enforced in privacy.flows and by a check constraint.
NO_CONSENT_RECIPIENTS = (Recipient.WERKGEVER, Recipient.ARBODIENST)


class DataFlow(models.Model):
    """One outgoing data flow and its legal basis (RI-9). Like the audit log it refers to people
    by pseudonym and holds no content: what kind of data, to whom, on what basis."""

    occurred_at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    kind = models.CharField("soort verstrekking", max_length=64)
    recipient = models.CharField("ontvanger", max_length=32, choices=Recipient.choices)
    recipient_name = models.CharField("naam ontvanger (organisatie)", max_length=200, blank=True)
    legal_basis = models.CharField("grondslag", max_length=32, choices=LegalBasis.choices)
    subject = models.UUIDField("betrokkene (pseudoniem)", null=True, blank=True, db_index=True)
    actor = models.UUIDField("verstrekt door (pseudoniem)", null=True, blank=True)
    object_type = models.CharField("soort object", max_length=64)
    object_id = models.CharField("object", max_length=64)
    consent_ref = models.CharField("machtiging (bij toestemming)", max_length=64, blank=True)

    class Meta:
        verbose_name = "gegevensverstrekking"
        verbose_name_plural = "gegevensverstrekkingen"
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(legal_basis="toestemming")
                    & models.Q(recipient__in=["werkgever", "arbodienst"])
                ),
                name="dataflow_no_consent_to_employer_or_arbodienst",
            ),
            models.CheckConstraint(
                condition=~models.Q(legal_basis="toestemming") | ~models.Q(consent_ref=""),
                name="dataflow_consent_names_its_machtiging",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient} ({self.legal_basis})"


class RiskLevel(models.TextChoices):
    NONE = "geen", "geen risico voor betrokkenen"
    RISK = "risico", "risico — melden aan de AP"
    HIGH = "hoog", "hoog risico — melden aan de AP én betrokkenen informeren"


class Datalek(models.Model):
    """AV-4: the data-breach register. Every incident is recorded; the 72-hour clock to notify
    the Autoriteit Persoonsgegevens runs from discovery; affected persons are informed when the
    breach is likely to harm them. No personal data of the affected people is stored here."""

    title = models.CharField("korte omschrijving", max_length=200)
    description = models.TextField("wat is er gebeurd")
    discovered_at = models.DateTimeField("ontdekt op")
    categories = models.CharField("soorten gegevens", max_length=300)
    affected_count = models.PositiveIntegerField("geschat aantal betrokkenen", default=0)
    risk = models.CharField("beoordeling", max_length=16, choices=RiskLevel.choices, blank=True)
    assessment = models.TextField("onderbouwing van de beoordeling", blank=True)
    measures = models.TextField("genomen maatregelen", blank=True)
    ap_notified_at = models.DateTimeField("gemeld aan de AP op", null=True, blank=True)
    ap_reference = models.CharField("meldnummer AP", max_length=64, blank=True)
    persons_informed_at = models.DateTimeField("betrokkenen geïnformeerd op", null=True, blank=True)
    signal_sent_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "datalek"
        verbose_name_plural = "datalekken"
        ordering = ["-discovered_at", "-pk"]

    def __str__(self):
        return self.title


class ConsentKind(models.TextChoices):
    NOODINFORMATIE = "noodinformatie", "noodinformatie voor collega's (ZM-4)"
    MACHTIGING = "machtiging", "machtiging om gegevens op te vragen (RI-9)"
    KEURING = "keuring", "conclusie aanstellingskeuring delen met de werkgever (MD-7)"
    VOORKEURSBELEID = "voorkeursbeleid", "bezwaar tegen verwerking voor voorkeursbeleid (DG-7)"


class Toestemming(models.Model):
    """AV-2: one record for every consent (or objection) the system uses — provable: who, when,
    which text version and scope, for which period; withdrawn when. The flows themselves
    (noodinformatie, machtiging, keuring, voorkeursbeleid) stop processing at once; this is
    their common, provable trail. Persons by pseudonym, like the audit log."""

    kind = models.CharField("soort", max_length=32, choices=ConsentKind.choices)
    subject = models.UUIDField("betrokkene (pseudoniem)", db_index=True)
    given_by = models.UUIDField("gegeven door (pseudoniem)")
    given = models.BooleanField("gegeven (nee: geweigerd of bezwaar)", default=True)
    text_version = models.CharField("versie van de tekst", max_length=16)
    text = models.TextField("tekst zoals getoond")
    scope = models.CharField("reikwijdte (welke gegevens, aan wie)", max_length=500)
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    valid_until = models.DateField("geldig tot en met", null=True, blank=True)
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    withdrawn_at = models.DateTimeField("ingetrokken op", null=True, blank=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)

    class Meta:
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({'gegeven' if self.given else 'geweigerd'})"


class VerzoekKind(models.TextChoices):
    """AV-3: the rights of a data subject (AVG art. 15-18, 20, 21)."""

    INZAGE = "inzage", "inzage (art. 15)"
    RECTIFICATIE = "rectificatie", "rectificatie (art. 16)"
    VERWIJDERING = "verwijdering", "verwijdering (art. 17)"
    BEPERKING = "beperking", "beperking van de verwerking (art. 18)"
    BEZWAAR = "bezwaar", "bezwaar (art. 21)"
    OVERDRAAGBAARHEID = "overdraagbaarheid", "overdraagbaarheid (art. 20)"


class VerzoekStatus(models.TextChoices):
    OPEN = "open", "open"
    VERLENGD = "verlengd", "verlengd (met bericht aan de betrokkene)"
    AFGEHANDELD = "afgehandeld", "afgehandeld"
    GEWEIGERD = "geweigerd", "geweigerd"


class IdentityMethod(models.TextChoices):
    """AV-3: how the requester's identity was verified before anything is disclosed. A copy of an
    ID document is asked for only with the BSN and photo covered (AP guidance); it is not kept."""

    IN_PERSOON = "in_persoon", "in persoon met identiteitsbewijs"
    ACCOUNT = (
        "account_2fa",
        "via het geverifieerde account van de betrokkene (ingelogd met tweestapsverificatie)",
    )
    SCHRIFTELIJK = "schriftelijk", "schriftelijk met kopie ID, BSN en foto afgeschermd"
    ANDERS = "anders", "anders (met toelichting)"


class Verzoek(models.Model):
    """AV-3: a data subject's request, answered within one month (two more only with notice in
    the first month; privacy/actions/verzoek.py). The person by pseudonym, like the audit log: a
    Werknemer's pseudonym, or a User's for someone without a Werknemer record. Nothing is
    disclosed before the requester's identity is recorded (identity_*)."""

    kind = models.CharField("soort verzoek", max_length=20, choices=VerzoekKind.choices)
    subject = models.UUIDField("betrokkene (pseudoniem)", db_index=True)
    subject_name = models.CharField("naam betrokkene", max_length=200)
    received_on = models.DateField("ontvangen op")
    description = models.TextField("omschrijving van het verzoek", blank=True)
    status = models.CharField(
        "status", max_length=16, choices=VerzoekStatus.choices, default=VerzoekStatus.OPEN
    )
    extension_notice_sent_on = models.DateField("verlenging meegedeeld op", null=True, blank=True)
    extended = models.BooleanField("termijn verlengd", default=False)
    refusal_reason = models.TextField("reden van weigering", blank=True)
    completed_on = models.DateField("afgehandeld op", null=True, blank=True)
    registered_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    signal_sent_at = models.DateTimeField(null=True, blank=True)
    identity_method = models.CharField(
        "identiteit vastgesteld via", max_length=16, choices=IdentityMethod.choices, blank=True
    )
    identity_explanation = models.TextField("toelichting op de identiteitscontrole", blank=True)
    identity_verified_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="identiteit vastgesteld door",
    )
    identity_verified_at = models.DateTimeField("identiteit vastgesteld op", null=True, blank=True)

    class Meta:
        verbose_name = "verzoek van een betrokkene"
        verbose_name_plural = "verzoeken van betrokkenen"
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject_name}"

    @property
    def is_closed(self) -> bool:
        return self.status in (VerzoekStatus.AFGEHANDELD, VerzoekStatus.GEWEIGERD)

    @property
    def identity_verified(self) -> bool:
        return bool(self.identity_method) and self.identity_verified_at is not None


class VerzoekOntvanger(models.Model):
    """AV-3 (AVG art. 19): a known recipient, from the DataFlow register, told of a
    rectification, erasure or restriction."""

    verzoek = models.ForeignKey(Verzoek, on_delete=models.CASCADE, related_name="ontvangers")
    recipient = models.CharField("ontvanger", max_length=32, choices=Recipient.choices)
    recipient_name = models.CharField("naam ontvanger (organisatie)", max_length=200, blank=True)
    notified_at = models.DateTimeField("geïnformeerd op")
    notified_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "geïnformeerde ontvanger"
        verbose_name_plural = "geïnformeerde ontvangers"
        ordering = ["notified_at", "pk"]

    def __str__(self):
        return f"{self.get_recipient_display()} {self.recipient_name}".strip()
