"""Load generator for `bench.chat`: asyncio `python-socketio` clients in one process of their own.

    .venv/bin/python -m bench.chat_load --spec spec.json --rate 300 --duration 10
    .venv/bin/python -m bench.chat_load --spec spec.json --saturate --duration 10

`spec.json` lists the clients: {"clients": [{"url", "group_id", "email"?, "password"?}, ...]}.
With an email, the client logs in over HTTP first (GET /login for the CSRF token, POST /login)
and connects with that session cookie; without one (the reference server) it just connects.
Every client connects over the websocket transport and sends `join`.

Open loop (`--rate R`): the total offered rate is R messages/s, from arrivals fixed in advance
(Poisson by default, `--arrivals even` for each client at a fixed period with a random phase),
each going to one client; sends do not wait for earlier acks. Closed loop (`--saturate`): every
client sends its next message as soon as the previous one is acknowledged.

A message counts for the figures if it was sent inside the measured window (after `--warmup`).
Latency is end to end: from the `send` emit to the arrival of the `message` event at each OTHER
member of the room (the sender's own echo is not a delivery). All clients live in this process,
so one monotonic clock times both ends. After the window the generator stops sending and waits
up to `--drain` seconds for what is still in flight. It prints one JSON object.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Sent:
    t: float
    sender: int
    group_id: int
    measured: bool
    ack_t: float | None = None
    ok: bool | None = None
    delivered: int = 0


@dataclass
class State:
    sent: dict[str, Sent] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    ack_latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    deliveries_measured: int = 0
    unknown_deliveries: int = 0
    disconnects: int = 0
    lags: list[float] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return values[k]


async def login(url: str, email: str, password: str) -> str:
    """Log in over HTTP like a browser; return the Cookie header for the socket."""
    import aiohttp

    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: accept cookies from an IP address (127.0.0.1)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        async with http.get(url + "/login") as resp:
            page = await resp.text()
        match = CSRF_RE.search(page)
        if not match:
            raise RuntimeError(f"no CSRF token on {url}/login (status {resp.status})")
        form = {"csrf_token": match.group(1), "email": email, "password": password}
        async with http.post(url + "/login", data=form, allow_redirects=False) as resp:
            if resp.status not in (302, 303):
                raise RuntimeError(f"login of {email} at {url} answered {resp.status}, not a redirect")
        cookies = {c.key: c.value for c in jar}
    if "session" not in cookies:
        raise RuntimeError(f"login of {email} at {url} gave no session cookie")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


async def run(spec: dict, rate: float | None, duration: float, warmup: float, drain: float, arrivals: str,
              seed: int, body_len: int) -> dict:
    import socketio

    specs = spec["clients"]
    n = len(specs)
    rng = random.Random(seed)
    token = secrets.token_hex(4)
    state = State()
    clients: list[socketio.AsyncClient] = []
    setup_t0 = time.perf_counter()

    gate = asyncio.Semaphore(8)

    async def cookie_for(s):
        if not s.get("email"):
            return None
        async with gate:
            return await login(s["url"], s["email"], s["password"])

    cookies = await asyncio.gather(*(cookie_for(s) for s in specs))

    def make_handler(me: int):
        def on_message(msg):
            now = time.perf_counter()
            rec = state.sent.get(msg.get("client_id") or "")
            if rec is None:
                state.unknown_deliveries += 1
                return
            if rec.sender == me:
                return
            rec.delivered += 1
            if rec.measured:
                state.deliveries_measured += 1
                state.latencies.append(now - rec.t)
        return on_message

    closing = [False]

    def on_disconnect(*_):
        if not closing[0]:
            state.disconnects += 1

    async def connect(i: int, s: dict):
        sio = socketio.AsyncClient(reconnection=False)
        sio.on("message", make_handler(i))
        sio.on("disconnect", on_disconnect)
        headers = {"Cookie": cookies[i]} if cookies[i] else {}
        async with gate:
            await sio.connect(s["url"], headers=headers, transports=["websocket"], wait_timeout=15)
            ack = await sio.call("join", {"group_id": s["group_id"]}, timeout=15)
        if not ack or not ack.get("ok"):
            raise RuntimeError(f"join of group {s['group_id']} by client {i} refused: {ack}")
        return sio

    clients = list(await asyncio.gather(*(connect(i, s) for i, s in enumerate(specs))))
    setup_s = time.perf_counter() - setup_t0
    counter = [0]
    filler = "x" * max(0, body_len - 40)

    def new_message(i: int, now: float, t_start: float) -> tuple[str, dict]:
        counter[0] += 1
        cid = f"b{token}-{i}-{counter[0]}"
        measured = t_start + warmup <= now < t_start + warmup + duration
        state.sent[cid] = Sent(now, i, specs[i]["group_id"], measured)
        body = f"bench {cid} {filler}".strip()
        return cid, {"group_id": specs[i]["group_id"], "body": body, "client_id": cid}

    def on_ack(cid: str):
        def callback(ack=None, *_):
            rec = state.sent[cid]
            rec.ack_t = time.perf_counter()
            rec.ok = bool(ack and ack.get("ok"))
            if rec.measured:
                state.ack_latencies.append(rec.ack_t - rec.t)
            if not rec.ok:
                state.errors[str((ack or {}).get("error", "no ack body"))[:80]] += 1
        return callback

    cpu0 = os.times()
    t_start = time.perf_counter()
    t_end = t_start + warmup + duration

    async def marks():  # tell bench.chat when the measured window opens and closes (it reads server CPU)
        await asyncio.sleep(warmup)
        print("WINDOW_START", file=sys.stderr, flush=True)
        await asyncio.sleep(max(0.0, t_end - time.perf_counter()))
        print("WINDOW_END", file=sys.stderr, flush=True)

    marker = asyncio.create_task(marks())
    if rate:  # open loop
        schedule: list[tuple[float, int]] = []
        if arrivals == "poisson":
            t = rng.expovariate(rate)
            while t < warmup + duration:
                schedule.append((t, rng.randrange(n)))
                t += rng.expovariate(rate)
        else:
            period = n / rate
            for i in range(n):
                t = rng.uniform(0, period)
                while t < warmup + duration:
                    schedule.append((t, i))
                    t += period
            schedule.sort()
        for offset, i in schedule:
            due = t_start + offset
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.perf_counter()
            if now >= t_start + warmup:
                state.lags.append(now - due)
            cid, payload = new_message(i, now, t_start)
            try:
                await clients[i].emit("send", payload, callback=on_ack(cid))
            except Exception as exc:  # noqa: BLE001 - a dead connection is an error to count, not a crash
                state.errors[f"emit failed: {type(exc).__name__}"] += 1
    else:  # closed loop: each client sends when its previous message is acknowledged
        async def loop(i: int):
            while True:
                now = time.perf_counter()
                if now >= t_end:
                    return
                cid, payload = new_message(i, now, t_start)
                try:
                    ack = await clients[i].call("send", payload, timeout=30)
                except Exception as exc:  # noqa: BLE001
                    state.errors[f"call failed: {type(exc).__name__}"] += 1
                    return
                on_ack(cid)(ack)

        await asyncio.gather(*(loop(i) for i in range(n)))
    sent_until = time.perf_counter()
    await marker

    # Drain: wait for acks and deliveries still in flight.
    measured = [r for r in state.sent.values() if r.measured]
    drain_deadline = time.perf_counter() + drain
    while time.perf_counter() < drain_deadline:
        pending = sum(r.ack_t is None or (r.ok and r.delivered < group_size(specs, r.group_id) - 1) for r in measured)
        if not pending:
            break
        await asyncio.sleep(0.05)
    cpu1 = os.times()
    wall = time.perf_counter() - t_start

    closing[0] = True
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)

    accepted = sum(1 for r in measured if r.ok)
    unacked = sum(1 for r in measured if r.ack_t is None)
    expected = sum(group_size(specs, r.group_id) - 1 for r in measured if r.ok)
    missing = expected - sum(min(r.delivered, group_size(specs, r.group_id) - 1) for r in measured if r.ok)
    ms = 1000.0
    return {
        "clients": n,
        "groups": len({s["group_id"] for s in specs}),
        "mode": "saturate" if not rate else f"{arrivals} {rate:g}/s",
        "offered": rate or None,
        "duration": duration,
        "sent": len(measured),
        "accepted": accepted,
        "accepted_per_s": accepted / duration,
        "deliveries": state.deliveries_measured,
        "deliveries_per_s": state.deliveries_measured / duration,
        "expected_deliveries": expected,
        "missing_deliveries": missing,
        "rejected": sum(1 for r in measured if r.ok is False),
        "unacked": unacked,
        "errors": dict(state.errors),
        "disconnects": state.disconnects,
        "unknown_deliveries": state.unknown_deliveries,
        "p50_ms": _ms(percentile(state.latencies, 50), ms),
        "p90_ms": _ms(percentile(state.latencies, 90), ms),
        "p99_ms": _ms(percentile(state.latencies, 99), ms),
        "max_ms": _ms(max(state.latencies) if state.latencies else None, ms),
        "ack_p50_ms": _ms(percentile(state.ack_latencies, 50), ms),
        "ack_p99_ms": _ms(percentile(state.ack_latencies, 99), ms),
        "send_lag_p99_ms": _ms(percentile(state.lags, 99), ms),
        "client_cpu_pct": 100.0 * ((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)) / wall,
        "setup_s": setup_s,
        "sending_s": sent_until - t_start,
    }


def _ms(x: float | None, scale: float) -> float | None:
    return None if x is None else round(x * scale, 2)


_SIZES: dict[int, int] = {}


def group_size(specs: list[dict], group_id: int) -> int:
    if not _SIZES:
        _SIZES.update(Counter(s["group_id"] for s in specs))
    return _SIZES[group_id]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spec", required=True, help="JSON file: {\"clients\": [{url, group_id, email?, password?}]}")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--rate", type=float, help="total offered messages/s (open loop)")
    mode.add_argument("--saturate", action="store_true", help="closed loop: send on each ack")
    ap.add_argument("--duration", type=float, default=10.0, help="measured seconds (default 10)")
    ap.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring (default 2)")
    ap.add_argument("--drain", type=float, default=5.0, help="seconds to wait for in-flight messages (default 5)")
    ap.add_argument("--arrivals", choices=("poisson", "even"), default="poisson")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--body-len", type=int, default=80, help="characters per message body (default 80)")
    args = ap.parse_args(argv)
    with open(args.spec) as fh:
        spec = json.load(fh)
    result = asyncio.run(run(spec, None if args.saturate else args.rate, args.duration, args.warmup, args.drain,
                             args.arrivals, args.seed, args.body_len))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
