SELECT count(*) AS failed FROM {{table}} WHERE {{filter}} AND {{column}} IS NULL
