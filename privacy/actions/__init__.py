"""State changes of the privacy registers, one module per subject, named by its legal term:
`datalek` (AV-4), `toestemming` (AV-2), `verzoek` (AV-3). Import the module where it is used
(``from privacy.actions import verzoek as verzoek_actions``); this package re-exports nothing."""
