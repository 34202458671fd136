INSERT INTO {{table}} BY NAME SELECT * FROM {{from}}
