-- The pool step of `arwatch pool` in SQL (DuckDB; Spark SQL and Trino need only small changes:
-- read_parquet, FILTER and regr_slope have equivalents there). It gives, for each contributor
-- ("viewer") and each debtor it shares with other creditors, the other creditors' figures,
-- published under the same disclosure rules. Set two variables first:
--
--   SET VARIABLE files = '/path/to/batch/*/*/pool/contribution.parquet';
--   SET VARIABLE as_of = DATE '2026-10-31';
--
-- examples/pool/check_with_duckdb.py runs it and compares it with arwatch pool's files.
WITH
params AS (
    SELECT year(getvariable('as_of')) * 12 + month(getvariable('as_of')) AS m,
           date_trunc('month', getvariable('as_of'))::DATE AS first_day
),
contributions AS (
    SELECT c.*, cast(substr(month, 1, 4) AS INT) * 12 + cast(substr(month, 6, 2) AS INT) AS mi
    FROM read_parquet(getvariable('files')) c, params
    WHERE c.as_of BETWEEN params.first_day AND getvariable('as_of')
),
latest AS (SELECT contributor, max(as_of) AS as_of FROM contributions GROUP BY contributor),
used AS (SELECT c.* FROM contributions c JOIN latest USING (contributor, as_of)),
shares AS (
    SELECT company_number, currency, contributor,
        coalesce(sum(paid) FILTER (WHERE mi BETWEEN m - 11 AND m), 0)::HUGEINT AS paid,
        coalesce(sum(late) FILTER (WHERE mi BETWEEN m - 11 AND m), 0)::HUGEINT AS late,
        coalesce(sum(paid_amount) FILTER (WHERE mi BETWEEN m - 11 AND m), 0)::HUGEINT AS amount,
        coalesce(sum(amount_days_late) FILTER (WHERE mi BETWEEN m - 11 AND m), 0)::HUGEINT AS adl,
        coalesce(sum(paid_amount) FILTER (WHERE mi BETWEEN m - 12 AND m - 1), 0)::HUGEINT AS amount_before,
        coalesce(sum(amount_days_late) FILTER (WHERE mi BETWEEN m - 12 AND m - 1), 0)::HUGEINT AS adl_before,
        coalesce(sum(exposure) FILTER (WHERE mi = m), 0)::HUGEINT AS exposure,
        coalesce(sum(open_amount) FILTER (WHERE mi = m), 0)::HUGEINT AS open,
        coalesce(sum(open_amount_days_overdue) FILTER (WHERE mi = m), 0)::HUGEINT AS open_days,
        coalesce(sum(open_over_90) FILTER (WHERE mi = m), 0)::HUGEINT AS over_90
    FROM used, params
    GROUP BY ALL
),
-- Each viewer against each other creditor of the same debtor: never its own share.
pairs AS (
    SELECT o.contributor AS viewer, x.*
    FROM shares o JOIN shares x ON x.company_number = o.company_number AND x.currency = o.currency
    WHERE x.contributor <> o.contributor
),
others AS (
    SELECT viewer, company_number, currency,
        count(*) FILTER (WHERE paid > 0 OR open > 0 OR exposure <> 0) AS creditors,
        count(*) FILTER (WHERE amount > 0) AS n_pay,
        coalesce(max(amount) FILTER (WHERE amount > 0), 0) AS max_pay,
        coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS w_pay,
        sum(paid) AS paid, sum(late) AS late, sum(amount) AS amount, sum(adl) AS adl,
        max(adl / amount) FILTER (WHERE amount > 0) - min(adl / amount) FILTER (WHERE amount > 0) AS spread,
        count(*) FILTER (WHERE amount_before > 0) AS n_before,
        coalesce(max(amount_before) FILTER (WHERE amount_before > 0), 0) AS max_before,
        coalesce(sum(amount_before) FILTER (WHERE amount_before > 0), 0) AS w_before,
        sum(amount_before) AS amount_before, sum(adl_before) AS adl_before,
        count(*) FILTER (WHERE greatest(open, exposure) > 0) AS n_open,
        coalesce(max(greatest(open, exposure)) FILTER (WHERE greatest(open, exposure) > 0), 0) AS max_open,
        coalesce(sum(greatest(open, exposure)) FILTER (WHERE greatest(open, exposure) > 0), 0) AS w_open,
        sum(exposure) AS exposure, sum(open) AS open, sum(open_days) AS open_days, sum(over_90) AS over_90
    FROM pairs
    GROUP BY ALL
),
-- The monthly WADL of the other creditors over the last 6 months, and its slope.
months AS (
    SELECT o.contributor AS viewer, u.company_number, u.currency, u.mi - p.m + 5 AS k,
           sum(u.paid_amount)::HUGEINT AS amount, sum(u.amount_days_late)::HUGEINT AS adl
    FROM shares o
    JOIN used u ON u.company_number = o.company_number AND u.currency = o.currency AND u.contributor <> o.contributor,
         params p
    WHERE u.mi BETWEEN p.m - 5 AND p.m
    GROUP BY ALL
    HAVING sum(u.paid_amount) > 0
),
trend AS (
    SELECT viewer, company_number, currency, regr_slope(adl / amount, k) AS wadl_trend_6m
    FROM months GROUP BY ALL
),
published AS (
    SELECT o.*, t.wadl_trend_6m,
        o.n_pay >= 3 AND o.max_pay <= 0.75 * o.w_pay AS pay_ok,
        o.n_before >= 3 AND o.max_before <= 0.75 * o.w_before AS before_ok,
        o.n_open >= 3 AND o.max_open <= 0.75 * o.w_open AS open_ok,
        -- The exposure's band on the 1-2-5 scale, in major units (EUR: 2 decimals).
        o.exposure / 100 AS major,
        CASE WHEN o.exposure < 100 THEN 0 ELSE pow(10, floor(log10(o.exposure / 100) + 1e-12)) END AS decade
    FROM others o LEFT JOIN trend t USING (viewer, company_number, currency)
)
SELECT viewer, company_number, currency, creditors AS creditors_elsewhere,
    CASE WHEN open_ok THEN CASE WHEN exposure < 100 THEN 0
        WHEN major < 2 * decade THEN decade WHEN major < 5 * decade THEN 2 * decade ELSE 5 * decade END END
        AS exposure_elsewhere_from,
    CASE WHEN open_ok THEN CASE WHEN exposure < 100 THEN 1
        WHEN major < 2 * decade THEN 2 * decade WHEN major < 5 * decade THEN 5 * decade ELSE 10 * decade END END
        AS exposure_elsewhere_to,
    CASE WHEN pay_ok AND paid > 0 THEN late / paid END AS late_ratio_12m,
    CASE WHEN pay_ok AND amount > 0 THEN adl / amount END AS wadl_12m,
    CASE WHEN before_ok AND amount_before > 0 THEN adl_before / amount_before END AS wadl_12m_month_before,
    CASE WHEN pay_ok THEN wadl_trend_6m END AS wadl_trend_6m,
    CASE WHEN pay_ok THEN spread END AS wadl_spread,
    CASE WHEN open_ok AND open > 0 THEN open_days / open END AS dbt,
    CASE WHEN open_ok AND open > 0 THEN over_90 / open END AS over_90_share
FROM published
ORDER BY viewer, company_number, currency;
