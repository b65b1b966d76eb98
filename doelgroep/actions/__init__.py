"""State changes of the doelgroep administration: every write goes through here — behind the
confidentiality gate (DG-6), validated, atomic and audited (SE-7). Pages and API call the same
functions. Validation raises ValidationError with field names (the form shows it at the field,
the API answers 400). One module per sub-domain:

- `verklaring`: the confidentiality statement, signed and withdrawn (DG-6);
- `registratie`: the doelgroepregister check and the BSN (DG-1, DG-2);
- `noriskpolis`: the no-riskpolis and its rules (DG-3, DG-4);
- `maatregelen`: support measures (DG-5);
- `voorkeursbeleid`: the policy, country of birth and the employee's objection (DG-7);
- `vog`: the certificate of conduct (DG-8).

Import the submodule where it is used (`from doelgroep.actions import registratie`); this
package re-exports nothing.
"""
