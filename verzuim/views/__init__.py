"""Pages of verzuim, one module per subject: ``werknemers``, ``overzicht`` (the list of sick
reports with its filters, CSV export and statistics), ``ziekmelding`` (one case: filing,
changing, herstel, deadlines, the insurer's export), ``mijn`` (the employee's own page, ZM-4)
and ``keuring`` (the employer's and the candidate's side of the aanstellingskeuring, MD-7).

Views parse and check; actions change state; queries scope (SE-9). Every page that shows a sick
report writes to the audit log (SE-7). Nothing here can show medical data (SE-4): the models
hold none (ZM-2). No view module imports another: what they share lives in forms, queries or
actions.
"""
