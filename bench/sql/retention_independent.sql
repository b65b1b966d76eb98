-- RULES.md RT-1..RT-3 (as rewritten), plain SQL, no project code: what has expired on :today.
WITH c AS (
  SELECT case_id, min(first_day) AS first, bool_or(recovered_on IS NULL) AS open,
         max(recovered_on) - 1 AS last, sum(recovered_on - first_day) AS days
  FROM verzuim_ziekmelding GROUP BY case_id),
z AS (
  SELECT z.id, z.werknemer_id, w.employment_end AS e, o.eigenrisicodrager_zw AS zw,
         o.eigenrisicodrager_wga AS wga, c.open, c.last, c.days
  FROM verzuim_ziekmelding z JOIN verzuim_werknemer w ON w.id = z.werknemer_id
  JOIN accounts_organisation o ON o.id = z.organisation_id JOIN c USING (case_id)),
k AS (
  SELECT id, werknemer_id, e, zw, wga, open, days,
    CASE WHEN e IS NULL OR ((zw OR wga) AND open) THEN NULL ELSE greatest(
      (e + interval '2 years')::date,
      CASE WHEN zw THEN (last + interval '5 years')::date END,
      CASE WHEN wga AND days >= 610 THEN (last + interval '10 years')::date END) END AS new_keep,
    CASE WHEN e IS NULL OR ((zw OR wga) AND open) THEN NULL ELSE greatest(
      (e + interval '2 years')::date,
      CASE WHEN zw THEN (last + 1 + interval '5 years')::date END,
      CASE WHEN wga THEN (last + 1 + interval '10 years')::date END) END AS old_keep
  FROM z)
SELECT
  count(*) FILTER (WHERE new_keep < :'today') AS zm_expired_new,
  count(*) FILTER (WHERE old_keep < :'today') AS zm_expired_old,
  count(*) FILTER (WHERE new_keep < :'today' AND NOT old_keep < :'today' AND wga AND days < 610
                    AND (old_keep - 1) >= :'today') AS released_by_rt3,
  count(*) FILTER (WHERE new_keep < :'today' AND NOT old_keep < :'today'
                    AND NOT (wga AND days < 610 AND (old_keep - 1) >= :'today')) AS released_by_day,
  (SELECT count(*) FROM verzuim_werknemer w
    WHERE (w.employment_end + interval '2 years')::date < :'today'
      AND NOT EXISTS (SELECT 1 FROM k WHERE k.werknemer_id = w.id
                      AND (k.new_keep IS NULL OR k.new_keep >= :'today'))
      AND NOT EXISTS (SELECT 1 FROM medisch_dossier d WHERE d.werknemer_id = w.id)) AS wn_new,
  (SELECT count(*) FROM verzuim_werknemer w
    WHERE (w.employment_end + interval '2 years')::date < :'today'
      AND NOT EXISTS (SELECT 1 FROM k WHERE k.werknemer_id = w.id
                      AND (k.old_keep IS NULL OR k.old_keep >= :'today'))
      AND NOT EXISTS (SELECT 1 FROM medisch_dossier d WHERE d.werknemer_id = w.id)) AS wn_old
FROM k;
