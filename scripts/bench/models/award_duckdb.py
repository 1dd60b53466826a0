# The seed campaign's award in DuckDB SQL over the posts CSV (scale benchmark
# peer; pip install duckdb), written the fastest correct way: typed read_csv,
# one case-insensitive regex pass with kdk's hashtag rule (a tag starts at a
# '#' that follows no ASCII letter, digit or '_', and runs over letters,
# digits, marks and '_'; it must be a topic whole). Prints what award.kdk
# prints. With --simple: the regex a user might write first,
# regexp_extract_all(text, '#[\w\p{L}\p{N}]+'), which is not kdk's rule but
# gives the same winners on the generated posts.
import sys
import duckdb

path = sys.argv[1]
simple = "--simple" in sys.argv[2:]
tiers = 21  # 1 + 5 + 15 paid ranks
columns = ("{'id': 'BIGINT', 'author': 'VARCHAR', 'time': 'TIMESTAMPTZ', 'text': 'VARCHAR', 'likes': 'BIGINT', "
           "'comments': 'BIGINT', 'shares': 'BIGINT', 'original': 'BOOLEAN', 'kyc_verified': 'BOOLEAN'}")
if simple:
    topic = ("list_has_any(list_transform(regexp_extract_all(text, '#[\\w\\p{L}\\p{N}]+'), lambda x: lower(x)), "
             "['#发帖赢launchpad新币kdk', '#posttowinlaunchpadkdk'])")
else:
    topic = ("regexp_matches(text, '(?i)(?:^|[^A-Za-z0-9_])#(?:发帖赢launchpad新币kdk|posttowinlaunchpadkdk)(?:[^\\p{L}\\p{N}\\p{M}_]|$)')")
q = f"""
WITH eligible AS (
  SELECT id, author, time AS t, likes + 2 * comments + 3 * shares AS score, kyc_verified AS kyc
  FROM read_csv('{path}', header = true, columns = {columns})
  WHERE time >= TIMESTAMPTZ '2025-12-19 12:00:00+08' AND time < TIMESTAMPTZ '2025-12-31 00:00:00+08'
    AND original AND {topic}
), best AS (  -- one prize per author: each author's best post, then pass down past the unverified
  SELECT *, row_number() OVER (PARTITION BY author ORDER BY score DESC, t, id) AS nth FROM eligible
)
SELECT (SELECT count(*) FROM eligible),
       (SELECT sum(id) FROM (SELECT id FROM best WHERE nth = 1 AND kyc ORDER BY score DESC, t, id LIMIT {tiers}))
"""
n, s = duckdb.sql(q).fetchall()[0]
print(f'"{n} {s}"')
