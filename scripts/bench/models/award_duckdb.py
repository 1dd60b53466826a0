# The seed campaign's award in DuckDB SQL over the posts CSV (scale benchmark
# peer; pip install duckdb). Prints what award.kdk and award.py print.
import sys
import duckdb

tiers = 21  # 1 + 5 + 15 paid ranks
q = f"""
WITH posts AS (
  SELECT * FROM read_csv('{sys.argv[1]}', header = true, all_varchar = true)
), eligible AS (
  SELECT CAST(id AS BIGINT) AS id, author,
         CAST(time AS TIMESTAMPTZ) AS t,
         CAST(likes AS BIGINT) + 2 * CAST(comments AS BIGINT) + 3 * CAST(shares AS BIGINT) AS score,
         kyc_verified = 'true' AS kyc
  FROM posts
  WHERE CAST(time AS TIMESTAMPTZ) >= TIMESTAMPTZ '2025-12-19 12:00:00+08'
    AND CAST(time AS TIMESTAMPTZ) <  TIMESTAMPTZ '2025-12-31 00:00:00+08'
    AND original = 'true'
    AND list_has_any(
          list_transform(regexp_extract_all(text, '(?:^|[^A-Za-z0-9_])(#[\\p{{L}}\\p{{N}}\\p{{M}}_]+)', 1), lambda x: lower(x)),
          ['#发帖赢launchpad新币kdk', '#posttowinlaunchpadkdk'])
), best AS (  -- one prize per author: each author's best post, then pass down past the unverified
  SELECT *, row_number() OVER (PARTITION BY author ORDER BY score DESC, t, id) AS nth FROM eligible
)
SELECT (SELECT count(*) FROM eligible),
       (SELECT sum(id) FROM (SELECT id FROM best WHERE nth = 1 AND kyc ORDER BY score DESC, t, id LIMIT {tiers}))
"""
n, s = duckdb.sql(q).fetchall()[0]
print(f'"{n} {s}"')
