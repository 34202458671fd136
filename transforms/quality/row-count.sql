SELECT count(*) AS n FROM {{table}} WHERE {{filter}}
