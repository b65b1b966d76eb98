"""Pages of the doelgroep administration (DG-1..8), one module per sub-domain:

- `verklaring`: the confidentiality statement, and the beheerder's list to withdraw it (DG-6);
- `administratie`: the overview, the record per person, the register check and the BSN, the
  no-riskpolis, VOG and support measures (DG-1..5, DG-8);
- `voorkeursbeleid`: the policy, country of birth, and the employee's own page with the
  objection (DG-7);
- `rapportage`: the k-anonymous inclusion reports (DG-5, DG-7).

Every page behind the gate (DG-6) answers 403 with the reason and where to sign
(`common.render_gate`); every view of doelgroep or BSN data is written to the audit log (SE-7).
"""
