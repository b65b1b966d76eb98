"""State changes in the medical module: atomic, checked, audited (SE-7), one module per
sub-domain — `dossier` (dossier, consults, advice, delegation), `documents` (documents and
correspondence), `keuring` (the aanstellingskeuring), `reintegratie` (the doctor's part of
re-integration and the companies' notes to the doctor). Each opens its two transactions through
`unit.atomic_with_audit`. Import the submodule where it is used."""
