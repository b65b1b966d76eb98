"""State changes of verzuim: every write goes through here — atomic, validated, audited
(SE-7: a ziekmelding is health data, so every create, change and recovery is logged).

One module per sub-domain: ``werknemer`` (create, update, end employment, CSV import),
``ziekmelding`` (create, update, record herstel, complete a Poortwachter deadline) and
``noodinformatie`` (ZM-4); ``common`` holds the audit entry they share. Callers import the
submodule (``from verzuim.actions import ziekmelding as ziekmelding_actions``).

The free text the employer writes ("lopende afspraken en werkzaamheden") is checked by the ZM-3
guard (privacy.medical_guard.guard_fields) in the action itself, so a CSV import, a command or a
task cannot skip it; the form and the serializer only check it early.

Validation raises django ValidationError with field names, so forms show it at the field and the
API answers 400 with the same messages. Concurrent edits are refused by version (optimistic
locking): a stale save raises Conflict (accounts.errors).

Verbs: ``create_*`` / ``update_*`` for a record, ``record_*`` for a fact that happened
(``record_herstel``), ``complete_*`` / ``end_*`` / ``save_*`` / ``withdraw_*`` / ``import_*`` as
they read; the nouns are the Dutch legal terms.
"""
