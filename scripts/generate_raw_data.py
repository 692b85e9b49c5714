"""Write a raw data folder that follows docs/raw_input_contract.md, deterministically, at any scale.

Why: the project must be built and tested on realistic data that nobody has to download: a
marketplace's governance events with their lifecycles, upstream delivery faults (duplicates,
late arrival, orphans, unknown fields), finance's spend file, planted incidents the insights
must find, and (with --faults) one set of rows for every bad-input class of the contract.

Generation is vectorised per origin day (numpy arrays, pyarrow string kernels for payloads);
each day's events are spilled to a chunk file and DuckDB rewrites the chunks into the hive
layout at the end, so memory stays bounded by one day of events.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"
US_PER_HOUR = 3_600_000_000
US_PER_DAY = 24 * US_PER_HOUR
EPOCH = dt.datetime(1970, 1, 1)

STAGE_QUALITY = {"launch": 2.0, "growth": 1.35, "mature": 1.0}  # multiplier on bad-outcome rates
STAGE_VOLUME = {"launch": 0.35, "growth": 0.65, "mature": 1.0}
WEEKDAY_VOLUME = np.array([0.95, 0.93, 0.95, 0.98, 1.05, 1.12, 1.02])  # Monday .. Sunday
CATEGORIES = np.array(["fashion", "electronics", "beauty", "home", "toys", "sports", "grocery"])
VENDORS = ["vendor_alpha", "vendor_beta", "vendor_gamma"]
QUEUES = ["listing_review", "report_review", "appeal_review", "live_monitoring"]
RAW_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("event_type", pa.string()),
        ("schema_version", pa.int32()),
        ("occurred_at", pa.timestamp("us")),
        ("ingested_at", pa.timestamp("us")),
        ("market", pa.string()),
        ("payload", pa.string()),
    ]
)


@dataclass(frozen=True)
class Market:
    code: str
    currency: str
    timezone: ZoneInfo
    stages: list[tuple[dt.date, dt.date | None, str]]
    vendor: str

    def stage_on(self, day: dt.date) -> str | None:
        for start, end, stage in self.stages:
            if start <= day and (end is None or day < end):
                return stage
        return None


@dataclass(frozen=True)
class Incident:
    incident_id: str
    metric_id: str
    market_code: str
    start_date: dt.date
    end_date: dt.date
    magnitude: float
    description: str

    def active(self, market: str, day: dt.date) -> bool:
        return market == self.market_code and self.start_date <= day <= self.end_date


@dataclass
class Reference:
    markets: list[Market]
    usd_per_unit: dict[tuple[str, dt.date], float]
    policies: np.ndarray
    sla_hours: dict[str, float]
    sale_multiplier: dict[tuple[str, dt.date], float]
    reason_codes: list[str]

    def fx(self, currency: str, day: dt.date) -> float:
        return self.usd_per_unit.get((currency, day.replace(day=1)), 1.0)


@dataclass
class Events:
    """Columns of events under construction (one list entry per event-type batch)."""

    parts: list[pa.Table] = field(default_factory=list)

    def add(self, event_type: str, ids: pa.Array, occurred_us: np.ndarray, market: str,
            payload: pa.Array, version: np.ndarray | None = None) -> None:
        n = len(occurred_us)
        if n == 0:
            return
        self.parts.append(pa.table({
            "event_id": ids,
            "event_type": pa.array([event_type] * n, pa.string()),
            "schema_version": pa.array(version if version is not None else np.ones(n, np.int32),
                                       pa.int32()),
            "occurred_us": pa.array(occurred_us, pa.int64()),
            "market": pa.array([market] * n, pa.string()),
            "payload": payload,
        }))


def read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{name}.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference(market_limit: int) -> Reference:
    """Read the planning team's seeds: the generator writes data consistent with them."""
    history: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
    for row in read_seed("market_stage_history"):
        end = dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
        history.setdefault(row["market_code"], []).append(
            (dt.date.fromisoformat(row["valid_from"]), end, row["development_stage"]))
    markets = [
        Market(row["market_code"], row["currency_code"], ZoneInfo(row["reporting_timezone"]),
               history[row["market_code"]], VENDORS[index % len(VENDORS)])
        for index, row in enumerate(read_seed("markets")[:market_limit])
    ]
    return Reference(
        markets=markets,
        usd_per_unit={(r["currency_code"], dt.date.fromisoformat(r["rate_month"])):
                      float(r["usd_per_unit"]) for r in read_seed("fx_rates_monthly")},
        policies=np.array([r["policy_id"] for r in read_seed("policies")]),
        sla_hours={r["queue"]: float(r["sla_hours"]) for r in read_seed("queue_slas")},
        sale_multiplier={(r["market_code"], dt.date.fromisoformat(r["sale_date"])):
                         float(r["demand_multiplier"]) for r in read_seed("sale_calendar")},
        reason_codes=[r["reason_code"] for r in read_seed("quarantine_reasons")],
    )


def plan_incidents(markets: list[Market], start: dt.date, days: int) -> list[Incident]:
    """Incidents at fixed fractions of the span, so every dataset holds all of them."""

    def market(index: int) -> str:
        return markets[min(index, len(markets) - 1)].code

    def window(fraction: float, length: int) -> tuple[dt.date, dt.date]:
        last_day = start + dt.timedelta(days=days - 1)
        first = start + dt.timedelta(days=int(days * fraction))
        return first, min(first + dt.timedelta(days=length - 1), last_day)

    logistics = window(0.55, 7)
    counterfeit = window(0.35, 10)
    qa_drop = window(0.7, 21)
    cancels = window(0.25, 7)
    vendor = markets[min(1, len(markets) - 1)].vendor
    incidents = [
        Incident("logistics_incident", "late_dispatch_rate", market(8), *logistics, 5.0,
                 "carrier outage: late dispatch up about 5x"),
        Incident("counterfeit_wave", "enforcement_actions", market(7), *counterfeit, 5.0,
                 "counterfeit wave (POL-IP-01, intellectual_property): enforcement up about 3x"),
        Incident("seller_cancellation_spike", "seller_fault_cancellation_rate", market(10),
                 *cancels, 8.0, "stock-out wave: seller-fault cancellations up about 8x"),
    ]
    incidents += [
        Incident(f"vendor_qa_drop_{m.code.lower()}", "qa_accuracy", m.code, *qa_drop, 0.4,
                 f"{vendor} QA accuracy drops from about 0.95 to 0.4")
        for m in markets if m.vendor == vendor
    ]
    return incidents


def ids(prefix: str, start: int, count: int) -> pa.Array:
    numbers = pa.array(np.arange(start, start + count), pa.int64())
    return pc.binary_join_element_wise(prefix, pc.cast(numbers, pa.string()), "")


def quoted(values: pa.Array | np.ndarray) -> pa.Array:
    """JSON string literals, or null where the value is null."""
    array = pa.array(values) if not isinstance(values, pa.Array) else values
    array = pc.cast(array, pa.string())
    text = pc.binary_join_element_wise('"', array, '"', "")
    return pc.fill_null(text, "null")


def json_objects(fields: dict[str, pa.Array | str]) -> pa.Array:
    """Build one JSON object per row from already-encoded JSON values (vectorised)."""
    parts: list[pa.Array | str] = ["{"]
    for index, (name, value) in enumerate(fields.items()):
        parts.append(("" if index == 0 else ", ") + f'"{name}": ')
        parts.append(value)
    parts.append("}")
    return pc.binary_join_element_wise(*parts, "")


def iso(us: np.ndarray) -> pa.Array:
    whole_seconds = us - us % 1_000_000
    text = pc.strftime(pa.array(whole_seconds, pa.timestamp("us")), format="%Y-%m-%dT%H:%M:%SZ")
    return quoted(text)


def booleans(values: np.ndarray) -> pa.Array:
    return pa.array(np.where(values, "true", "false"))


def money(amounts: np.ndarray, currency: str) -> pa.Array:
    decimals = 0 if currency in ("IDR", "VND") else 2
    return quoted(pa.array(np.char.mod(f"%.{decimals}f", np.round(amounts, decimals))))


class DayGenerator:
    """All events that originate on one day in one market."""

    def __init__(self, reference: Reference, incidents: list[Incident], rng: np.random.Generator,
                 id_base: int) -> None:
        self.reference = reference
        self.incidents = incidents
        self.rng = rng
        self.next_id = id_base

    def take_ids(self, prefix: str, count: int) -> pa.Array:
        array = ids(prefix, self.next_id, count)
        self.next_id += count
        return array

    def incident(self, metric_id: str, market: str, day: dt.date) -> float:
        for incident in self.incidents:
            if incident.metric_id == metric_id and incident.active(market, day):
                return incident.magnitude
        return 1.0

    def local_times(self, market: Market, day: dt.date, count: int) -> np.ndarray:
        """Times spread over the market's local day (busier evenings), as UTC microseconds."""
        local_midnight = dt.datetime.combine(day, dt.time(), tzinfo=market.timezone)
        start = int((local_midnight.astimezone(dt.timezone.utc).replace(tzinfo=None)
                     - EPOCH).total_seconds()) * 1_000_000
        hours = np.clip(self.rng.normal(15, 5, count), 0, 23.999)
        return start + (hours * US_PER_HOUR).astype(np.int64)

    def generate(self, market: Market, day: dt.date, orders_per_day: float, events: Events) -> None:
        stage = market.stage_on(day)
        if stage is None:
            return
        rng = self.rng
        # Launch markets start worse and improve as they age.
        days_in_stage = max((day - max(s for s, _, st in market.stages if st == stage)).days, 0)
        quality = 1 + (STAGE_QUALITY[stage] - 1) * np.exp(-days_in_stage / 240)
        volume = (orders_per_day * STAGE_VOLUME[stage] * WEEKDAY_VOLUME[day.weekday()]
                  * self.reference.sale_multiplier.get((market.code, day), 1.0))
        n = int(rng.poisson(volume))
        if n > 0:
            self.orders(market, day, n, quality, events)
        self.listings(market, day, int(rng.poisson(volume * 0.3)), quality, events)
        self.governance(market, day, volume, quality, events)

    def orders(self, market: Market, day: dt.date, n: int, quality: float, events: Events) -> None:
        rng, code = self.rng, market.code
        placed = self.local_times(market, day, n)
        order_ids = self.take_ids(f"ord-{code}-", n)
        seller_ids = pc.binary_join_element_wise(
            f"sel-{code}-", pc.cast(pa.array(rng.zipf(1.6, n) % 4000), pa.string()), "")
        gmv = rng.lognormal(np.log(28), 0.7, n) / self.reference.fx(market.currency, day)
        promised = placed + rng.integers(2, 4, n) * US_PER_DAY
        v2 = rng.random(n) < 0.3
        base = {
            "order_id": quoted(order_ids),
            "buyer_id": quoted(ids(f"buy-{code}-", 0, n).take(pa.array(rng.integers(0, n, n)))),
            "seller_id": quoted(seller_ids),
            "listing_id": quoted(ids(f"lst-{code}-", self.next_id, n)),
            "category": quoted(CATEGORIES[rng.integers(0, len(CATEGORIES), n)]),
        }
        amount, currency = money(gmv, market.currency), quoted(np.full(n, market.currency))
        flat = json_objects({**base, "gmv_local": amount, "currency": currency,
                             "promised_ship_by": iso(promised), "client_version": '"7.4.1"'})
        nested = json_objects({**base, "gmv": pc.binary_join_element_wise(
            '{"amount": ', amount, ', "currency": ', currency, "}", ""),
            "channel": quoted(np.array(["live", "video", "storefront"])[rng.integers(0, 3, n)]),
            "promised_ship_by": iso(promised)})
        events.add("order_placed", self.take_ids("evt-", n), placed, code,
                   pc.if_else(pa.array(v2), nested, flat), np.where(v2, 2, 1).astype(np.int32))

        def child(event_type: str, mask: np.ndarray, when: np.ndarray,
                  extra: dict[str, pa.Array], extra_v2: dict[str, pa.Array] | None = None,
                  v2: np.ndarray | None = None) -> None:
            """One event per masked order; version 2 payloads where v2 is set."""
            keep = pa.array(mask)

            def payload(fields: dict[str, pa.Array]) -> pa.Array:
                return json_objects({"order_id": quoted(order_ids), **fields}).filter(keep)

            body = payload(extra)
            versions = None
            if extra_v2 is not None and v2 is not None:
                body = pc.if_else(pa.array(v2[mask]), payload(extra_v2), body)
                versions = np.where(v2, 2, 1).astype(np.int32)[mask]
            count = int(mask.sum())
            events.add(event_type, self.take_ids("evt-", count), when[mask], code, body, versions)

        cancel_fault = np.array(["seller", "buyer", "platform", "unknown"])[
            rng.choice(4, n, p=[0.35, 0.45, 0.1, 0.1])]
        seller_cancel_boost = self.incident("seller_fault_cancellation_rate", code, day)
        cancel_p = np.where(cancel_fault == "seller", 0.03 * quality * seller_cancel_boost, 0.03)
        cancelled = rng.random(n) < cancel_p
        cancel_at = placed + (rng.exponential(20, n) * US_PER_HOUR).astype(np.int64)
        reasons = np.array(["buyer_request", "out_of_stock", "seller_unresponsive",
                            "pricing_error", "fraud_suspected", "other"])
        child("order_cancelled", cancelled, cancel_at, {
            "reason": quoted(reasons[rng.integers(0, len(reasons), n)]),
            "fault_party": quoted(cancel_fault)})

        shipped = ~cancelled & (rng.random(n) < 0.98)
        late_p = min(0.06 * quality * self.incident("late_dispatch_rate", code, day), 0.9)
        is_late = rng.random(n) < late_p
        ship_at = np.where(is_late, promised + (rng.exponential(30, n) + 0.1) * US_PER_HOUR,
                           placed + rng.uniform(0.05, 0.98, n) * (promised - placed))
        ship_at = ship_at.astype(np.int64)
        child("order_shipped", shipped, ship_at, {})
        again = shipped & (rng.random(n) < 0.02)
        child("order_shipped", again, ship_at + (rng.uniform(2, 48, n) * US_PER_HOUR).astype(np.int64), {})
        delivered = shipped & (rng.random(n) < 0.97)
        deliver_at = ship_at + (rng.uniform(1.5, 6, n) * US_PER_DAY).astype(np.int64)
        child("order_delivered", delivered, deliver_at, {})

        refund_reasons = np.array(["not_as_described", "damaged", "not_received", "changed_mind",
                                   "other"])
        refunded = delivered & (rng.random(n) < 0.03 * quality)
        refund_at = deliver_at + (rng.uniform(1, 30, n) * US_PER_DAY).astype(np.int64)
        refund_amount = money(gmv * rng.uniform(0.2, 1.0, n), market.currency)
        refund_v2 = rng.random(n) < 0.3
        refund_fields = {
            "refund_id": quoted(ids(f"ref-{code}-", self.next_id, n)),
            "reason": quoted(refund_reasons[rng.integers(0, 5, n)]),
            "fault_party": quoted(np.where(rng.random(n) < 0.25, "seller", "buyer")),
        }
        self.next_id += n
        flat_refund = {**refund_fields, "amount_local": refund_amount, "currency": currency}
        nested_refund = {**refund_fields, "amount": pc.binary_join_element_wise(
            '{"amount": ', refund_amount, ', "currency": ', currency, "}", "")}
        child("refund_issued", refunded, refund_at, flat_refund, nested_refund, refund_v2)
        disputed = delivered & (rng.random(n) < 0.012 * quality)
        dispute_at = deliver_at + (rng.gamma(2.0, 5.0, n) * US_PER_DAY).astype(np.int64)
        dispute_ids = ids(f"dsp-{code}-", self.next_id, n)
        self.next_id += n
        child("dispute_opened", disputed, dispute_at, {
            "dispute_id": quoted(dispute_ids),
            "reason": quoted(refund_reasons[rng.integers(0, 5, n)])})
        resolved = disputed & (rng.random(n) < 0.85)
        resolved_at = dispute_at + (rng.uniform(2, 8, n) * US_PER_DAY).astype(np.int64)
        outcomes = np.array(["buyer_favor", "seller_favor", "withdrawn"])[
            rng.choice(3, n, p=[0.55, 0.3, 0.15])]
        count = int(resolved.sum())
        events.add("dispute_resolved", self.take_ids("evt-", count), resolved_at[resolved], code,
                   json_objects({"dispute_id": quoted(dispute_ids.filter(pa.array(resolved))),
                                 "outcome": quoted(outcomes[resolved])}))

        reviewed = delivered & (rng.random(n) < 0.35)
        bad_share = 0.045 * quality
        ratings = rng.choice(5, n, p=[bad_share / 2, bad_share / 2, 0.08, 0.26,
                                      0.66 - bad_share]) + 1
        child("review_posted", reviewed,
              deliver_at + (rng.uniform(0.5, 20, n) * US_PER_DAY).astype(np.int64),
              {"review_id": quoted(ids(f"rev-{code}-", self.next_id, n)),
               "rating": pa.array(ratings.astype(str))})
        self.next_id += n

        ticketed = rng.random(n) < 0.03 * quality
        ticket_at = placed + (rng.uniform(0.5, 10, n) * US_PER_DAY).astype(np.int64)
        csat = np.where(rng.random(n) < 0.6, rng.choice(5, n, p=[0.08, 0.07, 0.15, 0.3, 0.4]) + 1, 0)
        count = int(ticketed.sum())
        with_order = rng.random(n) < 0.85
        events.add("ticket_closed", self.take_ids("evt-", count), ticket_at[ticketed], code,
                   json_objects({
                       "ticket_id": quoted(ids(f"tkt-{code}-", self.next_id, n)),
                       "order_id": pc.if_else(pa.array(with_order), quoted(order_ids), "null"),
                       "buyer_id": quoted(ids(f"buy-{code}-", 0, n)),
                       "csat": pa.array(np.where(csat > 0, csat.astype(str), "null")),
                   }).filter(pa.array(ticketed)))
        self.next_id += n

    def listings(self, market: Market, day: dt.date, n: int, quality: float, events: Events) -> None:
        if n == 0:
            return
        rng, code = self.rng, market.code
        submitted = self.local_times(market, day, n)
        listing_ids = self.take_ids(f"lst-{code}-", n)
        events.add("listing_submitted", self.take_ids("evt-", n), submitted, code, json_objects({
            "listing_id": quoted(listing_ids),
            "seller_id": quoted(pc.binary_join_element_wise(
                f"sel-{code}-", pc.cast(pa.array(rng.zipf(1.6, n) % 4000), pa.string()), "")),
            "category": quoted(CATEGORIES[rng.integers(0, len(CATEGORIES), n)])}))
        manual = rng.random(n) < 0.3
        rejected = rng.random(n) < 0.08 * quality
        reviewed_at = submitted + np.where(
            manual, rng.uniform(1, 30, n) * US_PER_HOUR, rng.uniform(1, 120, n) * 1_000_000
        ).astype(np.int64)
        policy = self.reference.policies[rng.integers(0, len(self.reference.policies), n)]
        events.add("listing_reviewed", self.take_ids("evt-", n), reviewed_at, code, json_objects({
            "listing_id": quoted(listing_ids),
            "decision": quoted(np.where(rejected, "rejected", "approved")),
            "policy_id": quoted(pa.array(np.where(rejected, policy, None), pa.string())),
            "review_mode": quoted(np.where(manual, "manual", "automated"))}))
        self.cases(market, "listing_review", submitted[manual], reviewed_at[manual], events, day)

    def governance(self, market: Market, day: dt.date, volume: float, quality: float,
                   events: Events) -> None:
        rng, code = self.rng, market.code
        policies = self.reference.policies
        n_reports = int(rng.poisson(volume * 0.05))
        filed = self.local_times(market, day, n_reports)
        report_ids = self.take_ids(f"rpt-{code}-", n_reports)
        report_policy = policies[rng.integers(0, len(policies), n_reports)]
        targets = np.array(["listing", "seller", "creator", "livestream"])
        if n_reports:
            events.add("report_filed", self.take_ids("evt-", n_reports), filed, code, json_objects({
                "report_id": quoted(report_ids),
                "reporter_id": quoted(ids(f"usr-{code}-", self.next_id, n_reports)),
                "target_type": quoted(targets[rng.integers(0, 4, n_reports)]),
                "target_id": quoted(ids(f"tgt-{code}-", self.next_id, n_reports)),
                "policy_id": quoted(report_policy)}))
        resolved = rng.random(n_reports) < 0.9
        valid = rng.random(n_reports) < 0.55
        resolved_at = filed + (rng.uniform(2, 60, n_reports) * US_PER_HOUR).astype(np.int64)
        count = int(resolved.sum())
        if count:
            events.add("report_resolved", self.take_ids("evt-", count), resolved_at[resolved], code,
                       json_objects({"report_id": quoted(report_ids.filter(pa.array(resolved))),
                                     "is_valid": booleans(valid[resolved])}))
        self.cases(market, "report_review", filed[resolved], resolved_at[resolved], events, day)

        # Actions: from valid reports, plus proactive and regulator detection.
        from_reports = resolved & valid & (rng.random(n_reports) < 0.6)
        n_other = int(rng.poisson(volume * 0.03))
        counterfeit = int(rng.poisson(volume * 0.02 * (self.incident("enforcement_actions", code, day) - 1)))
        n_actions = int(from_reports.sum()) + n_other + counterfeit
        if n_actions == 0:
            return
        source = np.concatenate([
            np.full(int(from_reports.sum()), "user_report"),
            np.array(["proactive_model", "proactive_manual", "regulator_notice"])[
                rng.choice(3, n_other, p=[0.7, 0.25, 0.05])],
            np.full(counterfeit, "proactive_model")])
        policy = np.concatenate([report_policy[from_reports],
                                 policies[rng.integers(0, len(policies), n_other)],
                                 np.full(counterfeit, "POL-IP-01")])
        report_ref = pa.concat_arrays([report_ids.filter(pa.array(from_reports)),
                                       pa.nulls(n_other + counterfeit, pa.string())])
        detected = np.concatenate([resolved_at[from_reports],
                                   self.local_times(market, day, n_other + counterfeit)])
        delay_hours = rng.lognormal(np.log(10 * quality), 1.0, n_actions)
        actioned = detected + (delay_hours * US_PER_HOUR).astype(np.int64)
        action_ids = self.take_ids(f"act-{code}-", n_actions)
        # A seller pool deep enough that about one action in six hits a seller actioned
        # in the 90 days before (a repeat offender), most do not.
        seller_pool = max(200, int(volume * 25))
        sellers = pc.binary_join_element_wise(
            f"sel-{code}-", pc.cast(pa.array(rng.integers(0, seller_pool, n_actions)),
                                    pa.string()), "")
        automated = (source == "proactive_model") & (rng.random(n_actions) < 0.8)
        action_types = np.array(["warning", "listing_removal", "feature_restriction", "suspension",
                                 "permanent_ban"])[rng.choice(5, n_actions,
                                                              p=[0.35, 0.4, 0.12, 0.1, 0.03])]
        events.add("enforcement_actioned", self.take_ids("evt-", n_actions), actioned, code,
                   json_objects({
                       "action_id": quoted(action_ids),
                       "target_type": quoted(targets[rng.integers(0, 4, n_actions)]),
                       "target_id": quoted(ids(f"tgt-{code}-", self.next_id, n_actions)),
                       "seller_id": quoted(sellers),
                       "policy_id": quoted(policy),
                       "action_type": quoted(action_types),
                       "detection_source": quoted(source),
                       "is_automated": booleans(automated),
                       "detected_at": iso(detected),
                       "report_id": quoted(report_ref)}))
        self.next_id += n_actions
        appealed = rng.random(n_actions) < 0.15
        appeal_at = actioned + (rng.uniform(1, 5, n_actions) * US_PER_DAY).astype(np.int64)
        appeal_ids = self.take_ids(f"apl-{code}-", n_actions)
        count = int(appealed.sum())
        if count:
            events.add("appeal_filed", self.take_ids("evt-", count), appeal_at[appealed], code,
                       json_objects({"appeal_id": quoted(appeal_ids.filter(pa.array(appealed))),
                                     "action_id": quoted(action_ids.filter(pa.array(appealed)))}))
        decided = appealed & (rng.random(n_actions) < 0.9)
        decided_at = appeal_at + (rng.uniform(2, 7, n_actions) * US_PER_DAY).astype(np.int64)
        count = int(decided.sum())
        if count:
            events.add("appeal_resolved", self.take_ids("evt-", count), decided_at[decided], code,
                       json_objects({
                           "appeal_id": quoted(appeal_ids.filter(pa.array(decided))),
                           "outcome": quoted(np.where(rng.random(count) < 0.2, "overturned",
                                                      "upheld"))}))
        self.cases(market, "appeal_review", appeal_at[decided], decided_at[decided], events, day)
        live = int(rng.poisson(volume * 0.01))
        live_open = self.local_times(market, day, live)
        self.cases(market, "live_monitoring", live_open,
                   live_open + (rng.uniform(0.05, 1.3, live) * US_PER_HOUR).astype(np.int64),
                   events, day)

    def cases(self, market: Market, queue: str, opened: np.ndarray, closed: np.ndarray,
              events: Events, day: dt.date) -> None:
        n = len(opened)
        if n == 0:
            return
        rng = self.rng
        sla_us = self.reference.sla_hours[queue] * US_PER_HOUR
        # Most cases close well inside the SLA; a few breach it.
        breach = rng.random(n) < 0.07
        closed = np.where(breach, opened + sla_us * rng.uniform(1.05, 2.0, n),
                          np.minimum(closed, opened + sla_us * 0.95)).astype(np.int64)
        closed = np.maximum(closed, opened + 1_000_000)
        vendor = rng.random(n) < 0.5
        team = np.where(vendor, market.vendor, "in_house")
        sampled = rng.random(n) < 0.25  # QA reviews a quarter of closed cases
        incident = self.incident("qa_accuracy", market.code, day)
        vendor_pass_rate = incident if incident != 1.0 else 0.95
        pass_rate = np.where(vendor, vendor_pass_rate, 0.96)
        passed = rng.random(n) < pass_rate
        events.add("moderation_case_closed", self.take_ids("evt-", n), closed, market.code,
                   json_objects({
                       "case_id": quoted(self.take_ids(f"case-{market.code}-", n)),
                       "queue": quoted(np.full(n, queue)),
                       "team": quoted(team),
                       "opened_at": iso(opened),
                       "handling_seconds": pa.array(
                           rng.lognormal(np.log(300), 0.6, n).astype(np.int64).astype(str)),
                       "qa_sampled": booleans(sampled),
                       "qa_passed": pa.array(np.where(sampled, np.where(passed, "true", "false"),
                                                      "null"))}))


def deliver(table: pa.Table, rng: np.random.Generator, end_us: int) -> pa.Table:
    """Add landing times (lags, late arrivals) and duplicate copies; drop what has not landed."""
    occurred = table["occurred_us"].to_numpy()
    n = len(occurred)
    lag = rng.exponential(90, n) * 1_000_000
    late = rng.random(n)
    lag = np.where(late < 0.02, rng.uniform(1, 30, n) * US_PER_DAY,
                   np.where(late < 0.03, rng.uniform(1, 12, n) * US_PER_HOUR, lag))
    ingested = occurred + lag.astype(np.int64)
    copies = rng.random(n) < 0.015
    copy_lag = np.where(rng.random(n) < 0.85, rng.uniform(1, 600, n) * 1_000_000,
                        np.where(rng.random(n) < 0.7, rng.uniform(0.5, 1.5, n) * US_PER_DAY,
                                 rng.uniform(7, 21, n) * US_PER_DAY)).astype(np.int64)
    originals = table.append_column("ingested_us", pa.array(ingested))
    duplicates = table.filter(pa.array(copies)).append_column(
        "ingested_us", pa.array((ingested + copy_lag)[copies]))
    landed = pa.concat_tables([originals, duplicates])
    keep = pc.and_(pc.less(landed["occurred_us"], end_us), pc.less(landed["ingested_us"], end_us))
    return landed.filter(keep)


def to_raw(table: pa.Table) -> pa.Table:
    return pa.table({
        "event_id": table["event_id"],
        "event_type": table["event_type"],
        "schema_version": table["schema_version"],
        "occurred_at": pc.cast(table["occurred_us"], pa.timestamp("us")),
        "ingested_at": pc.cast(table["ingested_us"], pa.timestamp("us")),
        "market": table["market"],
        "payload": table["payload"],
    }, schema=RAW_SCHEMA)


def fault_rows(good: pa.Table, rng: np.random.Generator, count: int, reference: Reference
               ) -> tuple[pa.Table, list[dict[str, str | None]]]:
    """Extra rows, each breaking exactly one rule of the contract, and their manifest."""
    rows: list[dict] = []
    manifest: list[dict[str, str | None]] = []
    orders = good.filter(pc.equal(good["event_type"], "order_placed"))
    number = 0

    def pick(event_type: str) -> dict:
        """A valid event of the type, built around a real order (version 1 payload)."""
        row = orders.slice(int(rng.integers(0, orders.num_rows)), 1).to_pylist()[0]
        order = json.loads(row["payload"])
        currency = order.get("currency") or order["gmv"]["currency"]
        payloads = {
            "order_placed": {**{k: v for k, v in order.items() if k not in ("gmv", "channel")},
                             "gmv_local": "10.00", "currency": currency},
            "order_shipped": {"order_id": order["order_id"]},
            "order_cancelled": {"order_id": order["order_id"], "reason": "out_of_stock",
                                "fault_party": "seller"},
            "review_posted": {"review_id": f"rev-{order['order_id']}",
                              "order_id": order["order_id"], "rating": 4},
            "ticket_closed": {"ticket_id": f"tkt-{order['order_id']}",
                              "order_id": order["order_id"], "buyer_id": order["buyer_id"],
                              "csat": 4},
            "refund_issued": {"refund_id": f"ref-{order['order_id']}",
                              "order_id": order["order_id"], "amount_local": "5.00",
                              "currency": currency, "reason": "damaged",
                              "fault_party": "seller"},
        }
        return {**row, "event_type": event_type, "schema_version": 1,
                "payload": json.dumps(payloads[event_type])}

    def add(row: dict, reason: str, missing_id: bool = False) -> None:
        nonlocal number
        number += 1
        row["event_id"] = None if missing_id else f"bad-{number:06d}"
        rows.append(row)
        manifest.append({"source_name": "governance_events", "reason_code": reason,
                         "event_id": row["event_id"],
                         "ingest_date": row["ingested_at"].date().isoformat()})

    def payload_edit(row: dict, **changes: object) -> dict:
        payload = json.loads(row["payload"])
        for key, value in changes.items():
            if value is ...:
                payload.pop(key, None)
            else:
                payload[key] = value
        row["payload"] = json.dumps(payload)
        return row

    other_currency = {m.currency for m in reference.markets}
    for _ in range(count):
        add({**pick("order_shipped"), "event_type": "order_teleported"}, "unknown_event_type")
        add({**pick("order_shipped"), "market": "XX"}, "unknown_market")
        add({**pick("review_posted"), "schema_version": 2}, "invalid_schema_version")
        row = pick("order_placed")
        add({**row, "payload": row["payload"][: len(row["payload"]) // 2]}, "malformed_payload")
        add({**pick("order_shipped"), "payload": '["not", "an", "object"]'}, "malformed_payload")
        add(payload_edit(pick("order_cancelled"), order_id=...), "missing_required_field")
        add(pick("order_shipped"), "missing_required_field", missing_id=True)
        add(payload_edit(pick("order_cancelled"), fault_party="aliens"), "invalid_enum_value")
        add(payload_edit(pick("refund_issued"), amount_local="-12.50"), "invalid_money")
        add(payload_edit(pick("refund_issued"), amount_local="abc"), "invalid_money")
        row = pick("refund_issued")
        market_currency = json.loads(row["payload"])["currency"]
        wrong = sorted((other_currency | {"USD", "EUR"}) - {market_currency})[0]
        add(payload_edit(row, currency=wrong), "currency_mismatch")
        add(payload_edit(pick("review_posted"), rating=7), "rating_out_of_range")
        add(payload_edit(pick("ticket_closed"), csat=9), "rating_out_of_range")
        row = pick("order_shipped")
        add({**row, "occurred_at": row["ingested_at"] + dt.timedelta(days=2)},
            "occurred_after_ingestion")
    return pa.Table.from_pylist(rows, schema=RAW_SCHEMA), manifest


def write_finance(out: Path, reference: Reference, event_dir: Path, faults: bool,
                  rng: np.random.Generator) -> list[dict[str, str | None]]:
    """Monthly spend lines that scale with the generated moderation and support volume."""
    con = duckdb.connect()
    volumes = con.execute(f"""
        select market, cast(date_trunc('month', occurred_at) as date) as posting_month,
            count(*) filter (where event_type = 'moderation_case_closed'
                and payload like '%"team": "in_house"%') as in_house_cases,
            count(*) filter (where event_type = 'moderation_case_closed'
                and payload not like '%"team": "in_house"%') as vendor_cases,
            count(*) filter (where event_type = 'appeal_filed') as appeals,
            count(*) filter (where event_type = 'ticket_closed') as tickets
        from read_parquet('{event_dir}/*/*.parquet', hive_partitioning = true)
        where market in ({', '.join(f"'{m.code}'" for m in reference.markets)})
        group by all order by all""").fetchall()
    vendor_of = {m.code: m.vendor for m in reference.markets}
    currency_of = {m.code: m.currency for m in reference.markets}
    lines: list[list[object]] = []
    months = sorted({row[1] for row in volumes})
    for market, month, in_house, vendor, appeals, tickets in volumes:
        rate = reference.fx(currency_of[market], month)
        for cost_center, usd, vendor_id in (("in_house_review", in_house * 2.6, ""),
                                            ("vendor_review", vendor * 1.7, vendor_of[market]),
                                            ("appeals_ops", appeals * 6.0 + 800, ""),
                                            ("cs_ops", tickets * 4.5 + 500, "")):
            lines.append([month, market, cost_center, vendor_id, currency_of[market],
                          f"{usd * rng.uniform(0.97, 1.03) / rate:.2f}"])
        if rng.random() < 0.15:
            lines.append([month, market, "vendor_review", vendor_of[market], currency_of[market],
                          f"{-usd * 0.05 / rate:.2f}"])
    for month in months:
        lines.append([month, "GLOBAL", "tooling", "", "USD", f"{22000 * rng.uniform(0.95, 1.05):.2f}"])
    manifest = []
    if faults:
        bad = [[months[0], "ID", "marketing", "", "IDR", "1000.00"],
               [months[0], "ZZ", "cs_ops", "", "USD", "10.00"],
               [months[-1], "GB", "cs_ops", "", "GBP", "n/a"]]
        lines += bad
        manifest = [{"source_name": "finance_spend", "reason_code": "finance_invalid_row",
                     "event_id": None, "ingest_date": None} for _ in bad]
    (out / "finance").mkdir(parents=True, exist_ok=True)
    with open(out / "finance" / "spend_actuals.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["posting_month", "market", "cost_center", "vendor_id", "currency",
                         "amount_local"])
        writer.writerows(lines)
    return manifest


def write_partitions(chunks_dir: Path, event_dir: Path) -> None:
    """Rewrite the day chunks into ingest_date=YYYY-MM-DD/ partitions, deterministically ordered."""
    con = duckdb.connect(config={"preserve_insertion_order": True})
    con.execute(f"""
        copy (
            select *, cast(ingested_at as date) as ingest_date
            from read_parquet('{chunks_dir}/*.parquet')
            order by ingested_at, event_id nulls first, event_type, payload
        ) to '{event_dir}' (format parquet, partition_by (ingest_date),
            filename_pattern 'events_{{i}}', overwrite_or_ignore true)""")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="raw folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start-date", type=dt.date.fromisoformat, default=dt.date(2026, 5, 1))
    parser.add_argument("--days", type=int, default=184)
    parser.add_argument("--orders-per-day", type=float, default=250,
                        help="average orders per day of a mature market")
    parser.add_argument("--markets", type=int, default=12, help="first N markets of the seed")
    parser.add_argument("--faults", action="store_true", help="inject every bad-input class")
    parser.add_argument("--fault-rate", type=float, default=0.0002,
                        help="bad rows per class, as a share of events (at least 3 each)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    reference = load_reference(args.markets)
    incidents = plan_incidents(reference.markets, args.start_date, args.days)
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    chunks_dir, event_dir, meta_dir = out / "_chunks", out / "governance_events", out / "_meta"
    for folder in (chunks_dir, event_dir, meta_dir):
        folder.mkdir(parents=True)
    end_us = int((dt.datetime.combine(args.start_date + dt.timedelta(days=args.days), dt.time())
                  - EPOCH).total_seconds()) * 1_000_000
    total, duplicates, per_type = 0, 0, {}
    sample: list[pa.Table] = []
    for offset in range(args.days):
        day = args.start_date + dt.timedelta(days=offset)
        rng = np.random.default_rng([args.seed, offset])
        generator = DayGenerator(reference, incidents, rng, id_base=offset * 100_000_000)
        events = Events()
        for market in reference.markets:
            generator.generate(market, day, args.orders_per_day, events)
        if not events.parts:
            continue
        landed = deliver(pa.concat_tables(events.parts), rng, end_us)
        duplicates += landed.num_rows - pc.count_distinct(landed["event_id"]).as_py()
        raw = to_raw(landed)
        pq.write_table(raw, chunks_dir / f"day_{offset:05d}.parquet")
        total += raw.num_rows
        for event_type, count in zip(*np.unique(raw["event_type"].to_numpy(zero_copy_only=False),
                                                return_counts=True)):
            per_type[event_type] = per_type.get(event_type, 0) + int(count)
        if args.faults:
            # Bad rows are mutated copies of good ones: keep a bounded sample per day.
            sample.append(raw.filter(pc.equal(raw["event_type"], "order_placed")).slice(0, 200))
        if (offset + 1) % 30 == 0 or offset + 1 == args.days:
            elapsed = time.perf_counter() - started
            print(f"day {offset + 1}/{args.days}: {total:,} events, "
                  f"{total / elapsed:,.0f} events/s", file=sys.stderr)
    manifest: list[dict[str, str | None]] = []
    if args.faults:
        rng = np.random.default_rng([args.seed, 999_999])
        per_class = max(3, int(total * args.fault_rate))
        bad, manifest = fault_rows(pa.concat_tables(sample), rng, per_class, reference)
        pq.write_table(bad, chunks_dir / "faults.parquet")
        total += bad.num_rows
    write_partitions(chunks_dir, event_dir)
    shutil.rmtree(chunks_dir)
    manifest += write_finance(out, reference, event_dir, args.faults,
                              np.random.default_rng([args.seed, 424_242]))
    with open(meta_dir / "fault_manifest.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, ["source_name", "reason_code", "event_id", "ingest_date"])
        writer.writeheader()
        writer.writerows(manifest)
    (meta_dir / "ground_truth.json").write_text(json.dumps(
        [{"incident_id": i.incident_id, "metric_id": i.metric_id, "market_code": i.market_code,
          "start_date": i.start_date.isoformat(), "end_date": i.end_date.isoformat(),
          "direction": "worse", "magnitude": i.magnitude, "description": i.description}
         for i in incidents], indent=2))
    summary = {
        "parameters": {k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Path)
                           else v) for k, v in vars(args).items()},
        "raw_rows": total, "duplicate_copies": duplicates, "rows_per_event_type": per_type,
        "fault_rows": len(manifest),
        "seconds": round(time.perf_counter() - started, 1),
    }
    # Written last: its presence marks a complete dataset (the Makefile relies on it).
    (meta_dir / "generation.json").write_text(json.dumps(summary, indent=2, sort_keys=True))
    print(f"wrote {total:,} rows to {out} in {summary['seconds']} s", file=sys.stderr)


if __name__ == "__main__":
    main()
