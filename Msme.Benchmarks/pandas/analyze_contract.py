# The analytics contract (v1) figures with pandas, over the same deposit JSON files `analyze` reads: the baseline of
# issue 17's analyze benchmark (the stack the seed used). Written the way an analyst would: json.load, one DataFrame of
# every transaction, vectorised group-bys for the monthly series and the daily closing balances, a short per-account
# loop for the metrics. Floats, as pandas has them: money is rounded to paise on output, ratios to 6 places.
# Reads Setu-shaped files ({"FI": {"DEPOSIT": [account, ...]}}) or bare accounts; v1 currentBalance or v2
# transactionalBalance. Usage: /usr/bin/python3 analyze_contract.py OUT.json FILE.json...
import json
import sys
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

IST = "Asia/Kolkata"


def load(paths):
    frames, heads = [], []
    for path in paths:
        with open(path, "rb") as f:
            doc = json.load(f)
        accounts = doc["FI"]["DEPOSIT"] if "FI" in doc else [doc]
        for acc in accounts:
            t = acc["transactions"]
            frame = pd.DataFrame(t["transaction"])
            frame["acct"] = acc["maskedAccNumber"]
            frame["pos"] = np.arange(len(frame))
            frames.append(frame)
            heads.append((acc["maskedAccNumber"], acc.get("linkedAccRef"), t.get("startDate") or None, t.get("endDate") or None))
    return pd.concat(frames, ignore_index=True), heads


def ist_day(text):
    if text is None:
        return None
    if len(text) == 10:
        return pd.Timestamp(text)
    ts = pd.Timestamp(text)
    if ts.tzinfo is None:
        ts = ts.tz_localize(IST)
    return ts.tz_convert(IST).tz_localize(None).normalize()


def r2(x):
    # Money to paise half away from zero, as the contract says (Python's round() on a float is neither): first to
    # 6 places to shed the float's noise (a mean of paise over n <= 366 values is never that close to a half paisa).
    if x is None or pd.isna(x):
        return None
    six = Decimal(repr(float(x))).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    return float(six.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def r6(x):
    return None if x is None or pd.isna(x) else round(float(x), 6)


def median(values):
    return float(np.median(values))


def main():
    out, paths = sys.argv[1], sys.argv[2:]
    df, heads = load(paths)
    balance = df["transactionalBalance"] if "transactionalBalance" in df else df["currentBalance"]
    df["amt"] = pd.to_numeric(df["amount"]).round(2)
    df["bal"] = pd.to_numeric(balance).round(2)
    ts = pd.to_datetime(df["transactionTimestamp"], utc=True)
    df["ts"] = ts
    df["date"] = ts.dt.tz_convert(IST).dt.tz_localize(None).dt.normalize()
    df["month"] = df["date"].dt.to_period("M")
    df.sort_values(["acct", "ts", "pos"], inplace=True, kind="stable")

    # Monthly sums and counts of credits and debits (REVERSAL in neither).
    credit = df["type"] == "CREDIT"
    debit = df["type"] == "DEBIT"
    df["inflow"] = df["amt"].where(credit, 0.0)
    df["outflow"] = df["amt"].where(debit, 0.0)
    df["cc"] = credit.astype(int)
    df["dc"] = debit.astype(int)
    monthly = df.groupby(["acct", "month"])[["inflow", "outflow", "cc", "dc"]].sum()
    # Largest credit of each month, the earliest when tied (rows are in statement order).
    credits = df[credit]
    largest = credits.loc[credits.groupby(["acct", "month"])["amt"].idxmax()]
    largest_day = largest.set_index(["acct", "month"])["date"].dt.day
    # Daily closing balance: the last transaction's balance of each day, carried forward.
    closing = df.groupby(["acct", "date"])["bal"].last()
    span = df.groupby("acct")["date"].agg(["min", "max"])

    accounts = []
    for masked, link, start, end in heads:
        first, last = span.loc[masked, "min"], span.loc[masked, "max"]
        frm = max(first, ist_day(start)) if start else first
        to = min(last, ist_day(end)) if end else last
        days = closing.loc[masked].reindex(pd.date_range(first, max(last, to)), method="ffill")
        m_all = pd.period_range(frm, to, freq="M")
        m = monthly.loc[masked].reindex(m_all, fill_value=0)
        rows, complete = [], []
        for period, row in m.iterrows():
            month_first, month_last = period.start_time.normalize(), period.end_time.normalize()
            is_complete = bool(frm <= month_first and to >= month_last)
            if is_complete:
                complete.append(period)
            rows.append({"month": str(period), "complete": is_complete, "inflow": r2(row["inflow"]), "outflow": r2(row["outflow"]),
                         "net": r2(row["inflow"] - row["outflow"]), "closingBalance": r2(days.loc[min(month_last, to)]),
                         "creditCount": int(row["cc"]), "debitCount": int(row["dc"])})
        c = m.loc[complete]
        n = len(c)
        inflows = c["inflow"].to_numpy()
        mean = inflows.mean() if n else None
        cv = None
        if n >= 2 and mean != 0:
            cv = inflows.std(ddof=1) / mean
        total_in, total_out = inflows.sum(), c["outflow"].sum()
        average_balance = volatility = None
        if n:
            daily = days.loc[complete[0].start_time.normalize():complete[-1].end_time.normalize()].to_numpy()
            average_balance = daily.mean()
            if len(daily) >= 2 and average_balance != 0:
                volatility = daily.std(ddof=1) / average_balance
        credit_days = [int(largest_day[(masked, p)]) for p in complete if (masked, p) in largest_day.index]
        typical = None
        if credit_days:
            typical = min(sorted(set(credit_days)), key=lambda d: (sum(min(abs(d - o), 31 - abs(d - o)) for o in credit_days), d))
        cv6 = r6(cv)
        tier = "Unknown" if cv6 is None else "High" if cv6 <= 0.2 else "Medium" if cv6 <= 0.4 else "Low" if cv6 <= 0.7 else "VeryLow"
        anomalies = []
        if n >= 4:
            for series in ("inflow", "outflow"):
                x = c[series].to_numpy()
                med = np.median(x)
                dev = np.abs(x - med)
                mad, mean_ad = np.median(dev), dev.mean()
                if mad > 0:
                    score = 0.6745 * (x - med) / mad
                elif mean_ad > 0:
                    score = (x - med) / (1.253314 * mean_ad)
                else:
                    continue
                for period, value, s in zip(complete, x, score):
                    if abs(round(s, 6)) > 3.5:
                        anomalies.append({"detector": "robust-z", "series": series, "month": str(period), "value": r2(value),
                                          "median": r2(med), "score": r6(s), "deviationPct": r6((value - med) / med * 100) if med else None})
        accounts.append({
            "maskedAccNumber": masked, "linkedAccRef": link,
            "coverage": {"from": frm.strftime("%Y-%m-%d"), "to": to.strftime("%Y-%m-%d")},
            "insufficientHistory": n < 3, "monthly": rows,
            "metrics": {"avgMonthlyInflow": r2(mean), "medianMonthlyInflow": r2(median(inflows)) if n else None, "incomeCv": cv6,
                        "surplusRatio": r6((total_in - total_out) / total_in) if total_in else None,
                        "averageBalance": r2(average_balance), "balanceVolatility": r6(volatility),
                        "typicalCreditDay": typical, "stabilityTier": tier},
            "anomalies": anomalies,
        })
    with open(out, "w") as f:
        json.dump({"contractVersion": 1, "accounts": accounts}, f)


if __name__ == "__main__":
    main()
