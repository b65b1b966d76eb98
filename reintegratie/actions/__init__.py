"""State changes of re-integration: every write goes through here — checked, atomic, audited
(SE-7), with its outgoing data flows recorded with their legal basis (RI-9). Pages and API call
the same functions, one module per sub-domain:

- `plan`: the plan van aanpak, its activities, evaluations and the employee's response (RI-3, RI-1)
- `dossier`: correspondence and the employer's part of the re-integratieverslag (RI-4)
- `trajecten`: the aanmelding, subcontracts, staff, the employee informed, invoices (RI-6..8, RI-10)
- `rapportages`: progress reports and notes to the doctor (RI-5, RI-6)
- `machtigingen`: asked, given or refused, revoked and used (RI-9, AV-2)

Validation raises django ValidationError with field names (forms show it at the field, the API
answers 400). A stale save of a plan raises accounts.errors.Conflict (optimistic locking, 409 in
the API). Free text the employer side reads is checked by the ZM-3 guard (`_common.guard`).
Import the submodule where it is used: ``from reintegratie.actions import plan as plan_actions``.
"""
