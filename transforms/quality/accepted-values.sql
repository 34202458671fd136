SELECT count(*) AS failed
FROM {{table}}
WHERE {{filter}} AND {{column}} IS NOT NULL AND NOT list_contains(CAST($accepted AS VARCHAR[]), CAST({{column}} AS VARCHAR))
