"""Forms of re-integration, one module per sub-domain: `plan` (RI-3, RI-1), `dossier` (RI-4),
`traject` (RI-5..10) and `mijn` (the employee's own page). They parse input; the actions check it
again, so the API cannot bypass anything."""
