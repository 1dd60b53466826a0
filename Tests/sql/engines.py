"""The SQL engines `kdk sql` is tested on, each started here and stopped after.

- DuckDB, in process (PyPI `duckdb`).
- PostgreSQL: a throwaway cluster (Debian's `postgresql`) in a temporary
  folder, on a Unix socket only, run as the `postgres` user when we are root.
- Spark: `pyspark`, `local[2]`, with Debian's `openjdk-17-jre-headless`.

Each engine loads a CSV of entries into a table typed by a kdk shape
(number BIGINT, text VARCHAR/TEXT/STRING, bool BOOLEAN, time TIMESTAMPTZ, or
TIMESTAMP with a UTC session in Spark) and runs queries, giving rows of
Python values.
"""
import csv
import io
import glob
import os
import shutil
import subprocess
import tempfile
import time
from decimal import Decimal


def sql_types(shape, engine):
    """A kdk shape ({field: "number" | "text" | "bool" | "time"}) as column types."""
    names = {
        "duckdb": {"number": "BIGINT", "text": "VARCHAR", "bool": "BOOLEAN", "time": "TIMESTAMPTZ"},
        "postgres": {"number": "BIGINT", "text": "TEXT", "bool": "BOOLEAN", "time": "TIMESTAMPTZ"},
        "spark": {"number": "BIGINT", "text": "STRING", "bool": "BOOLEAN", "time": "TIMESTAMP"},
    }[engine]
    return [(f, names[t]) for f, t in shape]


def quote(name, engine):
    if engine == "spark":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def table_name(name, engine):
    return ".".join(quote(p, engine) for p in name.split("."))


class DuckDB:
    name = "duckdb"

    def __init__(self):
        import duckdb
        self.db = duckdb.connect()

    def load(self, table, path, shape):
        cols = ", ".join(f"{quote(f, 'duckdb')} {t}" for f, t in sql_types(shape, "duckdb"))
        self.db.execute(f"CREATE OR REPLACE TABLE {table_name(table, 'duckdb')} ({cols})")
        self.db.execute(f"COPY {table_name(table, 'duckdb')} FROM '{path}' (HEADER true)")

    def query(self, sql):
        return self.db.sql(sql).fetchall()

    def close(self):
        self.db.close()


class Postgres:
    """A cluster of its own in a temporary folder, on a Unix socket."""
    name = "postgres"

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="kdk-pg-")
        os.chmod(self.dir, 0o777)
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        data = os.path.join(self.dir, "data")
        self._run([f"{self.bin}/initdb", "-D", data, "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust", "-U", "postgres"])
        self._run([f"{self.bin}/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "log"), "-w", "start",
                   "-o", f"-k {self.dir} -c listen_addresses='' -c fsync=off -c work_mem=256MB"])
        self.data = data

    def _run(self, cmd, **kw):
        return subprocess.run(self.as_user + cmd, check=True, capture_output=True, text=True, **kw)

    def psql(self, sql, csv_out=False):
        cmd = [f"{self.bin}/psql", "-h", self.dir, "-U", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        if csv_out:
            cmd += ["--csv", "-P", "null=\\N"]  # none apart from the empty text
        r = subprocess.run(cmd, input=sql, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        return r.stdout

    def load(self, table, path, shape):
        cols = ", ".join(f"{quote(f, 'postgres')} {t}" for f, t in sql_types(shape, "postgres"))
        t = table_name(table, "postgres")
        with open(path, encoding="utf-8") as f:
            body = f.read()
        # COPY FROM STDIN: the file's bytes, read by psql.
        self.psql(f"DROP TABLE IF EXISTS {t}; CREATE TABLE {t} ({cols});\n"
                  f"COPY {t} FROM STDIN WITH (FORMAT csv, HEADER true);\n{body}\\.\n")

    def query(self, sql):
        out = self.psql(sql, csv_out=True)
        rows = list(csv.reader(io.StringIO(out, newline="")))
        return [tuple(c if c != "\\N" else None for c in r) for r in rows[1:]]

    def close(self):
        try:
            self._run([f"{self.bin}/pg_ctl", "-D", self.data, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Spark:
    name = "spark"

    def __init__(self):
        from pyspark.sql import SparkSession
        self.spark = (SparkSession.builder.master("local[2]").appName("kdk-sql-test")
                      .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "4")
                      .config("spark.driver.memory", "4g").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")

    def load(self, table, path, shape):
        from pyspark.sql.types import (BooleanType, LongType, StringType, StructField, StructType, TimestampType)
        types = {"number": LongType(), "text": StringType(), "bool": BooleanType(), "time": TimestampType()}
        schema = StructType([StructField(f, types[t]) for f, t in shape])
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")
        df = (self.spark.read.option("header", True).option("multiLine", True).option("escape", '"')
              .option("timestampFormat", "yyyy-MM-dd'T'HH:mm[:ss][.SSSSSSSSS]XXX").schema(schema).csv(path))
        df.createOrReplaceTempView(quote(table, "spark"))  # a view's name is parsed: quoted, it is taken as is

    def query(self, sql):
        # The preamble (SET ...;), then the query: one statement each.
        body = "\n".join(l for l in sql.splitlines() if not l.startswith("--")).strip()
        if body.startswith("SET "):
            pre, body = body.split(";\n", 1)
            self.spark.sql(pre)
        return [tuple(r) for r in self.spark.sql(body.rstrip().rstrip(";")).collect()]

    def close(self):
        self.spark.stop()


def start(name):
    return {"duckdb": DuckDB, "postgres": Postgres, "spark": Spark}[name]()


def canonical(value):
    """One cell as canonical text: numbers without trailing zeros, none empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, float)):
        d = Decimal(str(value)) if not isinstance(value, Decimal) else value
        d = d.normalize()
        return format(d, "f") if d != 0 else "0"
    if isinstance(value, str):
        try:
            return canonical(Decimal(value)) if value.strip() and value.strip()[0] in "-0123456789" else value
        except Exception:
            return value
    return str(value)


def as_csv(header, rows):
    import io
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([canonical(c) for c in r])
    return out.getvalue()
