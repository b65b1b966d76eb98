"""Re-integration API, one module per sub-domain (`plan`, `trajecten`, `rapportages`; routes in
`urls`): plans van aanpak, trajectories and progress reports, with the same policies
(reintegratie.policies), scoping (reintegratie.queries, verzuim.queries), actions and audit (SE-7)
as the pages.

- RI-3: the plan is saved with optimistic locking (409 `conflict` on a stale version); the
  employee responds to the version they read.
- RI-5: the employer side (and the doctor, whose fuller report lives in the medical dossier)
  reads only released reports, and of them only progress and cooperation.
- RI-6, RI-8: a trajectory is serialized per view (policies.trajectory_view): each view gets only
  its parts; no view gets anything medical, the employer never the client number.
- RI-10: a consultant sees nothing before the employee has been informed (queries).

Errors are JSON with a `code` (accounts.api_errors): 404 for missing and forbidden alike, 403
for a role that may never do this, 400 `invalid` with `fields`, 409 `conflict` (the actions'
ValidationError and Conflict propagate to accounts.api_errors.exception_handler).
"""
