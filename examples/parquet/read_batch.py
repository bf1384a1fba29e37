"""Reads a batch's Parquet outputs as one table per file kind with DuckDB.

    arwatch sample --portfolios 12 --out portfolios
    arwatch batch portfolios/manifest.toml --parquet
    python examples/parquet/read_batch.py portfolios/batch/parquet

Money columns are integer minor units (cents for EUR): divide by 100 to show euros.
"""
import sys

import duckdb

root = sys.argv[1] if len(sys.argv) > 1 else "portfolios/batch/parquet"
con = duckdb.connect()
print(
    con.sql(
        f"""
        select portfolio, as_of, count(*) as clients, sum(net_ar) / 100 as net_ar_eur,
               round(avg(dso_countback), 1) as avg_client_dso
        from read_parquet('{root}/clients/*/*/*.parquet', hive_partitioning = true)
        where currency = 'EUR'  -- 2 minor digits; JPY has 0, KWD 3
        group by portfolio, as_of
        order by portfolio
        """
    )
)
# Debtors that several creditors share, by company number: the pooled view of issue 14.
print(
    con.sql(
        f"""
        select company_number, count(distinct portfolio) as creditors, sum(net_ar) / 100 as exposure_eur
        from read_parquet('{root}/clients/*/*/*.parquet', hive_partitioning = true)
        where company_number is not null and company_number <> '' and currency = 'EUR'
        group by company_number
        having count(distinct portfolio) > 1
        order by exposure_eur desc
        limit 10
        """
    )
)
