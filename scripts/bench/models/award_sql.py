# The seed campaign's award as `kdk sql` compiles it (award.kdk), run on an
# engine over the posts CSV (scale benchmark peer): DuckDB in process, or
# Spark local[2]. The CSV is read into a typed table, then the compiled
# `totals` and `winners` queries run. Prints what award.kdk prints.
#
#     award_sql.py duckdb|spark POSTS.csv KDK_BINARY
import os, subprocess, sys

engine, path, kdk = sys.argv[1], sys.argv[2], sys.argv[3]
here = os.path.dirname(os.path.abspath(__file__))
sql = {r: subprocess.run([kdk, "sql", os.path.join(here, "award.kdk"), "--dialect", engine, "--table", "posts", "--result", r],
                         check=True, capture_output=True, text=True).stdout for r in ("totals", "winners")}
columns = [("id", "BIGINT"), ("author", "VARCHAR"), ("time", "TIMESTAMPTZ"), ("text", "VARCHAR"), ("likes", "BIGINT"),
           ("comments", "BIGINT"), ("shares", "BIGINT"), ("original", "BOOLEAN"), ("kyc_verified", "BOOLEAN")]
if engine == "duckdb":
    import duckdb
    db = duckdb.connect()
    typed = ", ".join(f"'{c}': '{t}'" for c, t in columns)
    db.execute(f"CREATE TABLE posts AS SELECT * FROM read_csv('{path}', header = true, columns = {{{typed}}})")
    run = lambda q: db.sql(q).fetchall()
else:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType, TimestampType
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").config("spark.driver.memory", "6g")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    kinds = {"BIGINT": LongType(), "VARCHAR": StringType(), "TIMESTAMPTZ": TimestampType(), "BOOLEAN": BooleanType()}
    schema = StructType([StructField(c, kinds[t]) for c, t in columns])
    (spark.read.option("header", True).option("multiLine", True).option("escape", '"')
     .option("timestampFormat", "yyyy-MM-dd'T'HH:mm[:ss]XXX").schema(schema).csv(path).createOrReplaceTempView("posts"))

    def run(q):
        body = "\n".join(l for l in q.splitlines() if not l.startswith("--")).strip()
        pre, body = body.split(";\n", 1)
        spark.sql(pre)
        return [tuple(r) for r in spark.sql(body.rstrip().rstrip(";")).collect()]
eligible = run(sql["totals"])[0][4]
ids = sum(r[3] for r in run(sql["winners"]))
print(f'"{eligible} {ids}"')
if engine == "spark":
    # The JVM is not this process's child for GNU time: its own peak, for the table.
    jvm = spark.sparkContext._gateway.proc.pid
    with open(f"/proc/{jvm}/status") as f:
        peak = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    print(f"also-peak-kib {peak}", file=sys.stderr)
    spark.stop()
