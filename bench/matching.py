"""Matching benchmark: `form_groups` against random grouping and size-constrained k-means on the
same synthetic metro-Atlanta population, in one run.

    .venv/bin/python -m bench.matching                                # 5,000 and 100,000, seed 0
    .venv/bin/python -m bench.matching --sizes 5000 --population-seed 3
    .venv/bin/python -m bench.matching --out bench/results/matching.md

(Run it as a module from the repository root: `python bench/matching.py` would import this file as
`matching`.)

Each method runs in its own fresh process (multiprocessing, spawn): the child generates the
population (deterministic, so identical to the parent's), then times only the method call.
"Peak MB" is the child's peak resident set size (`getrusage(RUSAGE_SELF).ru_maxrss`): the whole
process, including the interpreter, imports and the population itself, not just the method's own
allocations. The RSS high-water mark before the call is reported too, so the method's share shows.
The parent scores the groups with `bench.metrics` against the population's ground truth.
"""
from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import resource
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from bench import metrics
from bench.machine import header, load_average, version
from bench.population import OUTLYING, describe, generate

MIN_SIZE, MAX_SIZE, MAX_KM = 4, 6, 25.0
KMEANS_MAX_N = 20_000  # beyond this k-means-constrained's min-cost flow (n x k arcs) can't finish
METHOD_LABEL = {"form_groups": "form_groups", "kmeans": "k-means-constrained", "random": "random"}

TARGETS_5K = [  # (metric key, comparison, bound, label)
    ("placed", ">=", 97.0, "placed"),
    ("common_focus", ">=", 95.0, "groups with a common focus"),
    ("two_slots", ">=", 90.0, "groups with >= 2 common slots"),
    ("comfort", ">=", 95.0, "groups with comfort spread <= 1"),
    ("format", ">=", 100.0, "format-consistent groups"),
    ("near", ">=", 95.0, "in-person groups within 25 km"),
]


def population_fingerprint(profiles) -> str:
    """A digest of a sample of the population: parent and child must have generated the same one."""
    import hashlib

    return hashlib.sha256(repr((len(profiles), profiles[::97])).encode()).hexdigest()[:16]


# --- The child process ------------------------------------------------------------------------------
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _child(method: str, n: int, population_seed: int, seed: int, kmeans_n_init: int | None, conn) -> None:
    try:
        import gc

        profiles, truth = generate(n, population_seed)
        del truth
        gc.collect()
        fingerprint = population_fingerprint(profiles)
        if method == "form_groups":
            from matching import form_groups
        else:
            from bench import baselines
            if method == "kmeans":
                import k_means_constrained  # noqa: F401  (import cost outside the timing)
                import sklearn.decomposition  # noqa: F401
                import sklearn.feature_extraction.text  # noqa: F401

                if kmeans_n_init is not None:
                    baselines.KMEANS_SETTINGS["n_init"] = kmeans_n_init
        before_mb = _peak_mb()
        cpu0, t0 = _cpu_s(), time.perf_counter()
        unmatched: list = []
        shared: list = []
        if method == "form_groups":
            result = form_groups(profiles, min_size=MIN_SIZE, max_size=MAX_SIZE, existing=None, seed=seed, max_distance_km=MAX_KM)
            elapsed = time.perf_counter() - t0
            groups = [(list(g.member_ids), g.mode) for g in result.groups]
            shared = [list(g.shared_interests) for g in result.groups]
            unmatched = [(u.member_id, u.reason) for u in result.unmatched]
        elif method == "random":
            groups = [(g, None) for g in baselines.random_groups(profiles, seed=seed, min_size=MIN_SIZE)]
            elapsed = time.perf_counter() - t0
        elif method == "kmeans":
            found = baselines.kmeans_groups(profiles, seed=seed, min_size=MIN_SIZE, max_size=MAX_SIZE)
            elapsed = time.perf_counter() - t0
            groups = [(g, None) for g in found]
        else:
            raise ValueError(f"unknown method {method!r}")
        cpu = _cpu_s() - cpu0
        conn.send({"ok": True, "fingerprint": fingerprint, "groups": groups, "shared": shared, "unmatched": unmatched, "time": elapsed, "cpu": cpu,
                   "peak_mb": _peak_mb(), "before_mb": before_mb})
    except BaseException:  # report anything, the parent decides
        conn.send({"ok": False, "error": traceback.format_exc()})
    finally:
        conn.close()


def run_method(method: str, n: int, population_seed: int, seed: int, kmeans_n_init: int | None, timeout: float) -> dict:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(method, n, population_seed, seed, kmeans_n_init, child))
    proc.start()
    child.close()
    started = time.perf_counter()
    out: dict | None = None
    if parent.poll(timeout):
        try:
            out = parent.recv()
        except EOFError:
            out = None
    proc.join(5 if out is not None else 0.1)
    if proc.is_alive():
        proc.terminate()
        proc.join()
    if out is None:
        waited = time.perf_counter() - started
        why = f"timed out after {waited:.0f} s" if waited >= timeout else f"child exited with code {proc.exitcode}"
        out = {"ok": False, "error": why}
    return out


# --- Report -----------------------------------------------------------------------------------------
def machine_info() -> list[str]:
    software = ", ".join(f"{p} {version(p)}" for p in ("numpy", "scipy", "scikit-learn", "k-means-constrained"))
    return header(("matching", "bench"), software, "other work was running; times may be inflated")


def cannot_be_placed(profiles) -> tuple[int, int]:
    """Members no method can place: in-person-only with no coordinates, or with fewer than
    min_size - 1 other in-person-capable members within 25 km (a lower bound on the unplaceable)."""
    import numpy as np
    from sklearn.neighbors import BallTree

    capable = [p for p in profiles if p.format != "online" and p.lat is not None and p.lon is not None]
    no_coords = sum(p.format == "in_person" and (p.lat is None or p.lon is None) for p in profiles)
    if not capable:
        return no_coords, 0
    pts = np.radians([[p.lat, p.lon] for p in capable])
    tree = BallTree(pts, metric="haversine")
    only = [i for i, p in enumerate(capable) if p.format == "in_person"]
    counts = tree.query_radius(pts[only], r=MAX_KM / metrics.EARTH_RADIUS_KM, count_only=True) if only else []
    isolated = int(sum(c - 1 < MIN_SIZE - 1 for c in counts))
    return no_coords, isolated


def fmt_pct(x: float) -> str:
    return "–" if x != x else f"{x:.1f}"  # NaN -> dash


def check(value: float, op: str, bound: float) -> bool:
    return value == value and (value >= bound if op == ">=" else value <= bound)


def diagnose(res: dict, profiles, truth) -> list[str]:
    """Where form_groups falls short: who is unmatched, which groups miss which criterion."""
    by_id = {p.id: p for p in profiles}
    lines = []
    un = res["unmatched"]
    if un:
        def kind(mid):
            p = by_id[mid]
            where = "outlying town" if truth.place[mid] in OUTLYING else "core metro"
            return f"{p.format}, {where}" + ("" if p.lat is not None else ", no coordinates")

        lines.append(f"- Unmatched {len(un)}: " + "; ".join(f"{k} {v}" for k, v in Counter(kind(m) for m, _ in un).most_common()))
        reasons = Counter(_reason_shape(r) for _, r in un).most_common(4)
        for shape, count in reasons:
            lines.append(f"  - {count} × \"{shape}\"")
    fails: dict[str, Counter] = {"no common focus": Counter(), "< 2 common slots": Counter(),
                                 "comfort spread > 1": Counter(), "format-inconsistent": Counter(),
                                 "in person beyond 25 km": Counter(), "size outside 4-6": Counter()}
    totals: Counter = Counter()
    slot_fixable = 0
    claimed: Counter = Counter()  # what form_groups said the focus-less groups share
    shared = res.get("shared") or [[] for _ in res["groups"]]
    for (ids, mode), said in zip(res["groups"], shared, strict=True):
        ms = [by_id[i] for i in ids if i in by_id]
        if not ms:
            continue
        key = f"{mode} size {len(ms)}"
        totals[key] += 1
        if not frozenset.intersection(*(truth.hobbies[m.id] for m in ms)):
            fails["no common focus"][key] += 1
            claimed[", ".join(said) or "(nothing)"] += 1
        if len(set.intersection(*(set(m.availability) for m in ms))) < 2:
            fails["< 2 common slots"][key] += 1
            slot_fixable += any(
                len(set.intersection(*(set(o.availability) for o in ms if o is not m))) >= 2 for m in ms
            )
        if max(m.comfort for m in ms) - min(m.comfort for m in ms) > 1:
            fails["comfort spread > 1"][key] += 1
        if not metrics.format_consistent(ms, mode):
            fails["format-inconsistent"][key] += 1
        if mode == "in_person" and all(m.lat is not None for m in ms):
            import numpy as np

            if metrics.max_pairwise_km(np.array([m.lat for m in ms]), np.array([m.lon for m in ms])) > MAX_KM:
                fails["in person beyond 25 km"][key] += 1
        if not MIN_SIZE <= len(ms) <= MAX_SIZE:
            fails["size outside 4-6"][key] += 1
    for what, counter in fails.items():
        if counter:
            total = sum(counter.values())
            lines.append(f"- {what}: {total} groups (" + ", ".join(f"{k}: {v} of {totals[k]}" for k, v in counter.most_common(6)) + ")")
            if what == "no common focus":
                lines.append("  - form_groups said they share: " + "; ".join(f"{k} ×{v}" for k, v in claimed.most_common(8)))
            if what == "< 2 common slots":
                lines.append(f"  - {slot_fixable} of them would have >= 2 common slots without one of their members")
    if un and len(un) * len(res["groups"]) <= 2_000_000:
        fits = sum(_has_open_fit(by_id[m], res["groups"], by_id, truth) for m, _ in un)
        lines.append(f"- {fits} of the {len(un)} unmatched would fit a group with a free seat by every criterion above (ground truth)")
    lines.append("- groups by mode and size: " + ", ".join(f"{k}: {v}" for k, v in sorted(totals.items())))
    return lines


def _has_open_fit(member, groups, by_id, truth) -> bool:
    import numpy as np

    for ids, mode in groups:
        if len(ids) >= MAX_SIZE:
            continue
        ms = [by_id[i] for i in ids] + [member]
        comforts = [m.comfort for m in ms]
        if (
            max(comforts) - min(comforts) > 1
            or not metrics.format_consistent(ms, mode)
            or not frozenset.intersection(*(truth.hobbies[m.id] for m in ms))
            or len(set.intersection(*(set(m.availability) for m in ms))) < 2
        ):
            continue
        if mode == "in_person" and metrics.max_pairwise_km(np.array([m.lat for m in ms]), np.array([m.lon for m in ms])) > MAX_KM:
            continue
        return True
    return False


def _reason_shape(reason: str) -> str:
    """A reason with its specifics blurred, so alike reasons count together."""
    import re

    shape = re.sub(r"\d+", "N", reason)
    return shape if len(shape) <= 140 else shape[:137] + "..."


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5000,100000", help="comma-separated population sizes (default 5000,100000)")
    ap.add_argument("--seed", type=int, default=0, help="seed for form_groups, the random shuffle and k-means (default 0)")
    ap.add_argument("--population-seed", type=int, default=0, help="seed of the synthetic population (default 0)")
    ap.add_argument("--skip-kmeans", action="store_true", help="don't run k-means-constrained")
    ap.add_argument("--kmeans-n-init", type=int, default=None, help="k-means-constrained n_init (default 1; the package's own default is 10)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds before a method's process is stopped (default 1800)")
    ap.add_argument("--out", type=Path, default=None, help="also write the report (markdown) here, e.g. bench/results/matching.md")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    from bench.baselines import KMEANS_SETTINGS

    n_init = args.kmeans_n_init if args.kmeans_n_init is not None else KMEANS_SETTINGS["n_init"]
    out: list[str] = ["# Matching benchmark", ""]
    out += machine_info()
    out.append("- Command: `" + " ".join(["python -m bench.matching", *(argv if argv is not None else sys.argv[1:])]) + "`")
    out.append(f"- Population seed {args.population_seed}; method seed {args.seed}; min_size {MIN_SIZE}, max_size {MAX_SIZE}, max_distance_km {MAX_KM:g}")
    out.append("")

    header = ("| method | n | placed % | common focus % | ≥2 common slots % | comfort spread ≤1 % | format-consistent % "
              "| in-person within 25 km % | groups | size 4–6 % | mean size | time s | peak MB |")
    rows = [header, "|" + "---|" * 13]
    targets: list[str] = []
    notes: list[str] = []
    diagnosis: list[str] = []
    pop_lines: list[str] = []
    print("\n".join(out), flush=True)

    for n in sizes:
        profiles, truth = generate(n, args.population_seed)
        d = describe(profiles, truth)
        no_coords, isolated = cannot_be_placed(profiles)
        comfort = " / ".join(f"{d['comfort'][c]:.0%}" for c in (1, 2, 3, 4))
        ceiling = 100.0 * (n - no_coords - isolated) / n if n else float("nan")
        pop_lines.append(
            f"- n = {n:,}: formats online {d['formats']['online']:.0%} / in person {d['formats']['in_person']:.0%} / either "
            f"{d['formats']['either']:.0%}; comfort 1–4 {comfort}; "
            f"{d['no_location']:.0%} without coordinates; {d['outlying']:.1%} in outlying towns; "
            f"{d['distinct_tags']} distinct tags for {d['canonical_hobbies']} hobbies; "
            f"{d['mean_interests']:.1f} interests and {d['mean_slots']:.1f} slots each. "
            f"Placeable at most {ceiling:.1f}% ({no_coords} in-person-only without coordinates, {isolated} in-person-only "
            f"with < {MIN_SIZE - 1} in-person-capable members within {MAX_KM:g} km)."
        )
        print(pop_lines[-1], flush=True)
        methods = ["form_groups"]
        if not args.skip_kmeans:
            if n <= KMEANS_MAX_N:
                methods.append("kmeans")
            else:
                notes.append(f"- k-means-constrained not run at n = {n:,}: it solves a min-cost flow over n × ceil(n/5) "
                             f"arcs ({n * math.ceil(n / 5):,}) on every iteration, which does not finish in reasonable "
                             f"time or memory at this size.")
        methods.append("random")
        results: dict[str, dict] = {}
        for method in methods:
            res = run_method(method, n, args.population_seed, args.seed, n_init if method == "kmeans" else None, args.timeout)
            results[method] = res
            label = METHOD_LABEL[method]
            if not res["ok"]:
                err = res["error"].strip().splitlines()[-1]
                rows.append(f"| {label} | {n:,} | " + " | ".join(["–"] * 11) + " |")
                notes.append(f"- {label} at n = {n:,} did not run: `{err}`")
                print(f"{label} n={n}: FAILED: {res['error']}", flush=True)
                continue
            if res["fingerprint"] != population_fingerprint(profiles):
                raise SystemExit(f"{label} at n = {n}: the child generated a different population (was bench/ edited mid-run?)")
            s = metrics.evaluate(res["groups"], profiles, truth, MIN_SIZE, MAX_SIZE, MAX_KM)
            r = s.row
            res["row"] = r
            res["scores"] = s
            rows.append(
                f"| {label} | {n:,} | {fmt_pct(r['placed'])} | {fmt_pct(r['common_focus'])} | {fmt_pct(r['two_slots'])} | "
                f"{fmt_pct(r['comfort'])} | {fmt_pct(r['format'])} | {fmt_pct(r['near'])} | {s.groups:,} | "
                f"{fmt_pct(r['size_ok'])} | {r['mean_size']:.2f} | {res['time']:.2f} | {res['peak_mb']:.0f} |"
            )
            print(rows[-1], flush=True)
            notes.append(f"- {label} at n = {n:,}: RSS high-water mark before the call {res['before_mb']:.0f} MB "
                         f"(interpreter, imports, population); CPU time of the call {res['cpu']:.2f} s; "
                         f"{s.in_person:,} in-person groups; groups sharing at least a hobby category "
                         f"{fmt_pct(r['common_category'])}%" + (f"; accounting problems: {s.duplicates} duplicate and {s.unknown} unknown ids" if s.duplicates or s.unknown else ""))
            if method == "form_groups":
                accounted = {m for g, _ in res["groups"] for m in g} | {m for m, _ in res["unmatched"]}
                missing = n - len(accounted & {p.id for p in profiles})
                if missing:
                    notes.append(f"- form_groups at n = {n:,}: {missing} members neither in a group nor unmatched")
                diagnosis += ["", f"**n = {n:,}**", ""] if diagnosis else [f"**n = {n:,}**", ""]
                diagnosis += diagnose(res, profiles, truth) or ["- nothing short of the criteria"]

        fg = results.get("form_groups")
        if fg and fg.get("ok"):
            r = fg["row"]
            if n == 5000:
                for key, op, bound, label in TARGETS_5K:
                    targets.append(f"- [{'x' if check(r[key], op, bound) else ' '}] n = 5,000: {label} {fmt_pct(r[key])}% (target {op} {bound:g}%)")
                km = results.get("kmeans")
                if km and km.get("ok"):
                    ratio = fg["time"] / km["time"] if km["time"] else float("inf")
                    targets.append(f"- [{'x' if ratio <= 0.2 else ' '}] n = 5,000: time {fg['time']:.2f} s = {ratio:.3f} × k-means-constrained's "
                                   f"{km['time']:.2f} s (target <= 0.2 ×)")
                else:
                    targets.append("- [ ] n = 5,000: time vs k-means-constrained not measured (k-means skipped or failed)")
            if n == 100_000:
                targets.append(f"- [{'x' if fg['time'] <= 120 else ' '}] n = 100,000: time {fg['time']:.1f} s (target <= 120 s)")
                targets.append(f"- [{'x' if fg['peak_mb'] <= 2048 else ' '}] n = 100,000: peak RSS {fg['peak_mb']:.0f} MB (target <= 2 GB)")
        elif n in (5000, 100_000):
            targets.append(f"- [ ] n = {n:,}: form_groups did not run")
        del profiles, truth

    report = out + ["## Population", ""] + pop_lines + ["", "## Results", ""] + rows + ["", "## Targets (form_groups)", ""]
    report += targets or ["- (targets are defined at n = 5,000 and n = 100,000)"]
    report += ["", "## Notes", "",
               "- Time: wall-clock seconds of the method call alone, in a fresh process per method "
               "(population generation and imports excluded).",
               "- Peak MB: peak resident set size of that process (`ru_maxrss`), i.e. interpreter + imports + the "
               "population + the method; not tracemalloc.",
               "- Common focus is judged by ground truth: a canonical hobby every member really has, from the "
               "generator's own hobby list (not matching's taxonomy).",
               "- Baselines give no mode: a group is in person if all members have coordinates and none is "
               "online-only, else online. Random and k-means place everyone by construction.",
               f"- k-means-constrained: n_clusters = ceil(n/5), size_min {MIN_SIZE}, size_max {MAX_SIZE}, n_init {n_init}, "
               "max_iter 300, random_state = seed; features from the written tags (TF-IDF → 64-dim SVD), availability, "
               "location, format and comfort — see bench/baselines.py.",
               f"- Load average at end (1, 5, 15 min): {load_average()}; with 2 CPUs, a load well above 1 during "
               "the run means other processes competed for the CPU (compare each method's CPU time with its wall time).",
               *notes, "", "## Where form_groups falls short", "", *(diagnosis or ["- form_groups did not run"])]
    text = "\n".join(report) + "\n"
    print()
    print("\n".join(report[len(out):]))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
