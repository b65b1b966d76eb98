"""The doctor's pages (MD-1, MD-4, MD-5, MD-7, RI-2, RI-4), one module per sub-domain. Every
view passes `gate(policies.may_enter)` (MD-2 layer 1); each object then goes through
medisch.queries and medisch.policies; every write through medisch.actions."""
