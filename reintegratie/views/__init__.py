"""The pages of re-integration, one module per sub-domain: `plan` (RI-3, RI-1), `dossier` (RI-4),
`traject` (RI-6..8, RI-10), `rapportages` (RI-5), `facturen` (RI-6), `machtigingen` (RI-9, AV-2)
and `mijn` (the employee's own page). No page module imports another; what they share is in
reintegratie/viewhelpers.py."""
