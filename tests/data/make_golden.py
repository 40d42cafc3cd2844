#!/usr/bin/env python3
"""Hand-written replay streams and their hand-derived expected decisions.

Each entry is (signal, expected decision). Expectations come from DESIGN.md §4, §6 and §12,
worked out by hand in the comments; they are NOT captured from tai-console. Run this script
to regenerate the .jsonl files after editing the table.
"""
import json

T0 = 1767225600000  # 2026-01-01T00:00:00Z in epoch ms


def ms(s):
    return T0 + int(s * 1000)


def pay(id_, cust, amount, t=None, cur="USD", merc="merc_1", **extra):
    d = {"type": "payment", "id": id_, "customer_id": cust, "merchant_id": merc, "amount": amount, "currency": cur}
    if t is not None:
        d["timestamp"] = ms(t)
    d.update(extra)
    return d


def ok(score=0, reasons=(), breaker="closed", outcome="charged"):
    return {"outcome": outcome, "score": score, "reasons": list(reasons), "breaker": breaker}


def inv(error_prefix, breaker="closed", id_=None):
    return {"outcome": "invalid", "breaker": breaker, "error_prefix": error_prefix, "id": id_}


A = []
add = A.append
# --- policy rules (§4.2) ---------------------------------------------------------------
add((pay("a1", "cust_a", "10.00", 0), ok()))
add((pay("a2", "cust_666", "5.00", 1), ok(100, ["blacklisted"], outcome="rejected")))
add((pay("a3", "cust_b", "5000.01", 2), ok(50, ["amount_exceeds_limit"], outcome="rejected")))
add((pay("a4", "cust_b", "5000.00", 3), ok()))  # amount > 5000.00 is strict
# currency: 3rd distinct currency within 3600 s scores 30 (< 50: still charged)
add((pay("a5", "cust_c", "1.00", 4, "USD"), ok()))
add((pay("a6", "cust_c", "1.00", 5, "EUR"), ok()))
add((pay("a7", "cust_c", "1.00", 6, "GBP"), ok(30, ["currency_anomaly"])))
add((pay("a8", "cust_c", 6000, 7, "JPY"), ok(80, ["amount_exceeds_limit", "currency_anomaly"], outcome="rejected")))
# velocity: the 6th signal in (t-60 s, t] fires; rejected ones count too
for i, t in enumerate(range(10, 15)):
    add((pay(f"a{9 + i}", "cust_d", "2.00", t), ok()))
add((pay("a14", "cust_d", "2.00", 15), ok(50, ["velocity_exceeded"], outcome="rejected")))
# at t=71 the window (11, 71] holds 12,13,14,15 and this one: 5, not more than 5
add((pay("a15", "cust_d", "2.00", 71), ok()))
# trusted customers skip velocity and currency, not amount
add((pay("a16", "cust_vip", "1.00", 80, "USD"), ok()))
add((pay("a17", "cust_vip", "1.00", 81, "EUR"), ok()))
add((pay("a18", "cust_vip", "1.00", 82, "GBP"), ok()))
add((pay("a19", "cust_vip", "9999.99", 83, "USD"), ok(50, ["amount_exceeds_limit"], outcome="rejected")))
# --- invalid input (§4.1): nothing moves the clock or the breaker ----------------------------
add(('{"type": "payment", broken', inv("not valid JSON")))
add(({"type": "payment", "id": "a21", "merchant_id": "m", "amount": "1.00", "currency": "USD"}, inv("customer_id:", id_="a21")))
add((pay("a22", "cust_x", "10.001", 90), inv("amount:", id_="a22")))
add((pay("a23", "cust_x", "1.00", 90, "usd"), inv("currency:", id_="a23")))
add((pay("a24", "cust_x", 0, 90), inv("amount:", id_="a24")))
add((pay("a25", "cust_x", 12.345, 90), inv("amount:", id_="a25")))
add((pay("a26", "cust_x", "1.00", 90, merc="bad merchant"), inv("merchant_id:", id_="a26")))
add(({"type": "payment", "id": "a27", "customer_id": "c", "merchant_id": "m", "amount": "1", "currency": "USD",
      "timestamp": "2026-01-01 noon"}, inv("timestamp:", id_="a27")))
add(({"type": "refund", "id": "a28"}, inv("type:", id_="a28")))
# --- idempotency (§4.4) -------------------------------------------------------------------
add((pay("a29", "cust_e", "25.00", 100, "EUR", idempotency_key="k-1"), ok()))
add((pay("a30", "cust_e", "25.00", 101, "EUR", idempotency_key="k-1"),
     {"outcome": "duplicate", "original": "charged", "score": 0, "reasons": [], "breaker": "closed"}))
add((pay("a31", "cust_e", "26.00", 102, "EUR", idempotency_key="k-1"),
     {"outcome": "idempotency_conflict", "breaker": "closed"}))
add((pay("a32", "cust_666", "1.00", 103, idempotency_key="k-2"), ok(100, ["blacklisted"], outcome="rejected")))
add((pay("a33", "cust_666", "1.00", 104, idempotency_key="k-2", sim={"gateway": "error"}),
     {"outcome": "duplicate", "original": "rejected", "score": 100, "reasons": ["blacklisted"], "breaker": "closed"}))
add((pay("a34", "cust_e", "abc", 105, idempotency_key="k-3"), inv("amount:", id_="a34")))
add((pay("a35", "cust_e", "5.00", 106, idempotency_key="k-3"), ok()))  # invalid stored nothing
# --- Jidoka (§6) ------------------------------------------------------------------------
E = {"gateway": "error"}
add((pay("a36", "cust_f36", "1.00", 200, sim=E), ok(outcome="gateway_error")))
add((pay("a37", "cust_f37", "1.00", 201), ok()))  # a success resets the count
for i, t in enumerate(range(202, 206)):
    add((pay(f"a{38 + i}", f"cust_f{38 + i}", "1.00", t, sim=E), ok(outcome="gateway_error")))  # 4 failures
# a timeout is in flight for 30 s: its failure lands at t=236, after the breaker opened
add((pay("a42", "cust_f42", "1.00", 206, sim={"gateway": "timeout"}), ok(outcome="gateway_timeout")))
add((pay("a43", "cust_f43", "1.00", 207, sim=E), ok(outcome="gateway_error", breaker="open")))  # 5th: open, 30 s
add((pay("a44", "cust_f44", "1.00", 208), ok(outcome="circuit_open", breaker="open")))
add((pay("a45", "cust_f45", "1.00", 236), ok(outcome="circuit_open", breaker="open")))  # stale timeout ignored
add((pay("a46", "cust_f46", "1.00", 237, sim=E), ok(outcome="gateway_error", breaker="open")))  # probe fails: 60 s
add((pay("a47", "cust_f47", "1.00", 296), ok(outcome="circuit_open", breaker="open")))
# half-open at 297: three slow probes fill the slots, a fourth fails fast
slow = {"gateway": "ok", "latency_ms": 5000}
add((pay("a48", "cust_f48", "1.00", 297, sim=slow), ok(breaker="half_open")))
add((pay("a49", "cust_f49", "1.00", 297, sim=slow), ok(breaker="half_open")))
add((pay("a50", "cust_f50", "1.00", 298, sim=slow), ok(breaker="half_open")))
add((pay("a51", "cust_f51", "1.00", 299), ok(outcome="circuit_open", breaker="half_open")))
# at 302 two probes succeed; this third success closes the breaker
add((pay("a52", "cust_f52", "1.00", 302), ok(breaker="closed")))
add((pay("a53", "cust_f53", "1.00", 303), ok()))
# backoff doubling: open (30 s) → probe fails (60 s) → probe times out (120 s) → closes
for i, t in enumerate(range(400, 404)):
    add((pay(f"a{54 + i}", f"cust_g{54 + i}", "1.00", t, sim=E), ok(outcome="gateway_error")))
add((pay("a58", "cust_g58", "1.00", 404, sim=E), ok(outcome="gateway_error", breaker="open")))
add((pay("a59", "cust_g59", "1.00", 434, sim=E), ok(outcome="gateway_error", breaker="open")))
add((pay("a60", "cust_g60", "1.00", 494, sim={"gateway": "timeout"}), ok(outcome="gateway_timeout", breaker="half_open")))
add((pay("a61", "cust_g61", "1.00", 500), ok(breaker="half_open")))
add((pay("a62", "cust_g62", "1.00", 524), ok(outcome="circuit_open", breaker="open")))
add((pay("a63", "cust_g63", "1.00", 643), ok(outcome="circuit_open", breaker="open")))  # 524 + 120 = 644
add((pay("a64", "cust_g64", "1.00", 644), ok(breaker="half_open")))
add((pay("a65", "cust_g65", "1.00", 645), ok(breaker="half_open")))
add((pay("a66", "cust_g66", "1.00", 646), ok(breaker="closed")))
# --- time (§12): no timestamp takes the clock; the clock never goes back -----------------------
add((pay("a67", "cust_h", "1.00"), ok()))
for i in range(5):
    add((pay(f"a{68 + i}", "cust_i", "1.00", 700), ok()))
# timestamped 600 but the clock is at 700: processed at 700, so it is the 6th in the window
add((pay("a73", "cust_i", "1.00", 600), ok(50, ["velocity_exceeded"], outcome="rejected")))
# RFC 3339 timestamp with an offset: 2026-01-01T00:13:20+01:00 is T0 - 2800 s, also behind the clock
add((dict(pay("a74", "cust_j", "1.00"), timestamp="2026-01-01T00:13:20+01:00"), ok()))

B = []
add = B.append
# policy-tight.json: 1 token/s, burst 1, admission capacity 2, threshold 2, recovery 10 s (cap 25 s),
# one probe, one success closes, watchdog 60 s, action timeout 120 s
add((pay("b1", "cust_1", "1.00", 0), ok()))
add((pay("b2", "cust_2", "1.00", 0), ok()))  # waits for the token at t=1, then charged
add((pay("b3", "cust_3", "1.00", 0), ok()))  # waits for t=2
add((pay("b4", "cust_4", "1.00", 0), ok(outcome="queue_full")))  # two already wait: shed
add((pay("b5", "cust_5", "1.00", 5), ok()))
add((pay("b6", "cust_6", "1.00", 10, sim=E), ok(outcome="gateway_error")))
add((pay("b7", "cust_7", "1.00", 11, sim=E), ok(outcome="gateway_error", breaker="open")))
add((pay("b8", "cust_8", "1.00", 15), ok(outcome="circuit_open", breaker="open")))
# half-open at 21; this probe takes 70 s, so nothing completes within the 60 s watchdog
add((pay("b9", "cust_9", "1.00", 21, sim={"gateway": "ok", "latency_ms": 70000}), ok(breaker="half_open")))
add((pay("b10", "cust_10", "1.00", 22), ok(outcome="circuit_open", breaker="half_open")))
add((pay("b11", "cust_11", "1.00", 81), ok(outcome="circuit_open", breaker="open")))  # watchdog: open, 20 s
add((pay("b12", "cust_12", "1.00", 101, sim=E), ok(outcome="gateway_error", breaker="open")))  # 40 s capped to 25
add((pay("b13", "cust_13", "1.00", 125), ok(outcome="circuit_open", breaker="open")))
add((pay("b14", "cust_14", "1.00", 126), ok(breaker="closed")))


def write(name, rows):
    with open(f"replay_{name}.jsonl", "w") as signals, open(f"replay_{name}.expected.jsonl", "w") as expected:
        for n, (signal, decision) in enumerate(rows, start=1):
            signals.write((signal if isinstance(signal, str) else json.dumps(signal)) + "\n")
            exp = {"line": n}
            if "id" not in decision:
                exp["id"] = None if isinstance(signal, str) else signal.get("id")
            exp.update(decision)
            expected.write(json.dumps(exp) + "\n")


write("default", A)
write("tight", B)
