"""Safety benchmark: the crisis-language detector (`community.safety.assess`) against a labelled
set of messages written independently of the detector.

    .venv/bin/python -m bench.safety                                  # report on stdout
    .venv/bin/python -m bench.safety --out bench/results/safety.md    # also write it
    .venv/bin/python -m bench.safety --data other.jsonl --repeat 50

The data (bench/data/safety_messages.jsonl) has one JSON object a line: id, text, level ("none",
"concern" or "crisis"), categories (list), hard_negative (bool: harmless text that looks risky).

Reported: counts; crisis recall (crisis items assessed crisis); concern-or-crisis recall on concern
items; the share of level-none items flagged at any level, overall and on hard negatives; the
confusion matrix; per-category recall; time per message (each message assessed `--repeat` times
after a warm-up, timed with perf_counter_ns; the median of each message's times, then the median
and 99th percentile over messages); the targets; and every misclassified item.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from bench.machine import header

DATA = Path(__file__).resolve().parent / "data" / "safety_messages.jsonl"
LEVELS = ("none", "concern", "crisis")
RANK = {level: i for i, level in enumerate(LEVELS)}

TARGETS = [  # (key, comparison, bound, label)
    ("crisis_recall", ">=", 0.97, "crisis recall ≥ 0.97"),
    ("concern_recall", ">=", 0.90, "concern-or-crisis recall on concern items ≥ 0.90"),
    ("benign_flagged", "<=", 0.05, "benign (level none) flagged ≤ 5%"),
    ("median_us", "<=", 50.0, "median ≤ 50 µs per message"),
]


def load(path: Path) -> list[dict]:
    items = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            item = json.loads(line)
            for key in ("id", "text", "level"):
                if key not in item:
                    raise ValueError(f"{path}:{n}: missing {key!r}")
            if item["level"] not in LEVELS:
                raise ValueError(f"{path}:{n}: level {item['level']!r}")
            item.setdefault("categories", [])
            item.setdefault("hard_negative", False)
            items.append(item)
    return items


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def fmt(r: float | None) -> str:
    return "n/a" if r is None else f"{r:.3f}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def time_messages(assess, texts: list[str], repeat: int, warmup: int) -> list[float]:
    """Median µs of `repeat` timed calls for each text, after `warmup` untimed rounds."""
    for _ in range(warmup):
        for t in texts:
            assess(t)
    per_message = []
    clock = time.perf_counter_ns
    for t in texts:
        times = []
        for _ in range(repeat):
            start = clock()
            assess(t)
            times.append(clock() - start)
        per_message.append(statistics.median(times) / 1000.0)
    return per_message


def evaluate(items: list[dict], assess) -> dict:
    results = []
    for item in items:
        a = assess(item["text"])
        results.append((item, a))
    crisis = [(i, a) for i, a in results if i["level"] == "crisis"]
    concern = [(i, a) for i, a in results if i["level"] == "concern"]
    benign = [(i, a) for i, a in results if i["level"] == "none"]
    hard = [(i, a) for i, a in benign if i.get("hard_negative")]
    confusion = Counter((i["level"], a.level) for i, a in results)
    per_category: dict[str, list[int]] = {}
    for i, a in results:
        for c in i.get("categories") or []:
            row = per_category.setdefault(c, [0, 0, 0])  # items, category found, level reached
            row[0] += 1
            row[1] += c in a.categories
            row[2] += RANK[a.level] >= RANK[i["level"]] and a.level != "none"
    return {
        "results": results,
        "n": len(results), "n_crisis": len(crisis), "n_concern": len(concern), "n_none": len(benign), "n_hard": len(hard),
        "crisis_recall": ratio(sum(a.level == "crisis" for _, a in crisis), len(crisis)),
        "concern_recall": ratio(sum(a.level != "none" for _, a in concern), len(concern)),
        "concern_exact": ratio(sum(a.level == "concern" for _, a in concern), len(concern)),
        "benign_flagged": ratio(sum(a.level != "none" for _, a in benign), len(benign)),
        "hard_flagged": ratio(sum(a.level != "none" for _, a in hard), len(hard)),
        "confusion": confusion,
        "per_category": per_category,
    }


def check(value: float | None, op: str, bound: float) -> bool:
    if value is None:
        return False
    return value >= bound if op == ">=" else value <= bound


def report(stats: dict, per_message_us: list[float], data_path: Path) -> list[str]:
    out = ["## Data", ""]
    out.append(f"- `{data_path.relative_to(Path.cwd()) if data_path.is_relative_to(Path.cwd()) else data_path}`: "
               f"{stats['n']} messages — crisis {stats['n_crisis']}, concern {stats['n_concern']}, "
               f"none {stats['n_none']} (of which hard negatives {stats['n_hard']})")
    out += ["", "## Results", "", "| measure | value |", "|---|---|"]
    out.append(f"| crisis recall (crisis items assessed crisis) | {fmt(stats['crisis_recall'])} |")
    out.append(f"| concern-or-crisis recall on concern items | {fmt(stats['concern_recall'])} |")
    out.append(f"| concern items assessed exactly concern | {fmt(stats['concern_exact'])} |")
    out.append(f"| level-none items flagged (any level) | {fmt(stats['benign_flagged'])} |")
    out.append(f"| hard negatives flagged (any level) | {fmt(stats['hard_flagged'])} |")
    med, p99 = statistics.median(per_message_us), percentile(per_message_us, 0.99)
    out.append(f"| time per message, median | {med:.1f} µs |")
    out.append(f"| time per message, p99 | {p99:.1f} µs |")
    out.append(f"| time per message, max | {max(per_message_us):.1f} µs |")
    out += ["", "## Confusion matrix (rows: label, columns: assessed)", "", "| label \\ assessed | none | concern | crisis | total |",
            "|---|---|---|---|---|"]
    for lab in LEVELS:
        row = [stats["confusion"][(lab, got)] for got in LEVELS]
        out.append(f"| {lab} | " + " | ".join(str(x) for x in row) + f" | {sum(row)} |")
    out += ["", "## Per category", "",
            "Items labelled with the category: the share whose assessment names that category, and the share "
            "flagged at the labelled level or higher.", "",
            "| category | items | category found | level reached |", "|---|---|---|---|"]
    for cat, (n, found, reached) in sorted(stats["per_category"].items(), key=lambda kv: (-kv[1][0], kv[0])):
        out.append(f"| {cat} | {n} | {found / n:.2f} | {reached / n:.2f} |")
    values = {k: stats[k] for k in ("crisis_recall", "concern_recall", "benign_flagged")}
    values["median_us"] = med
    out += ["", "## Targets", ""]
    for key, op, bound, label in TARGETS:
        v = values[key]
        shown = f"{v:.1f} µs" if key == "median_us" else fmt(v)
        out.append(f"- [{'x' if check(v, op, bound) else ' '}] {label} (got {shown})")
    wrong = [(i, a) for i, a in stats["results"] if a.level != i["level"]]
    out += ["", f"## Misclassified ({len(wrong)})", ""]
    if wrong:
        out += ["| id | expected | got | text |", "|---|---|---|---|"]
        order = {("crisis", "none"): 0, ("crisis", "concern"): 1, ("concern", "none"): 2, ("none", "crisis"): 3,
                 ("none", "concern"): 4, ("concern", "crisis"): 5}
        for i, a in sorted(wrong, key=lambda ia: (order.get((ia[0]["level"], ia[1].level), 9), str(ia[0]["id"]))):
            exp = i["level"] + (f" ({', '.join(i['categories'])})" if i.get("categories") else "")
            exp += " [hard]" if i.get("hard_negative") else ""
            got = a.level + (f" ({', '.join(a.categories)})" if a.categories else "")
            text = i["text"].replace("|", "\\|").replace("\n", " ")
            out.append(f"| {i['id']} | {exp} | {got} | {text} |")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="labelled messages (JSON lines)")
    ap.add_argument("--repeat", type=int, default=30, help="timed calls per message (default 30)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed rounds over all messages first (default 3)")
    ap.add_argument("--out", type=Path, default=None, help="also write the report here, e.g. bench/results/safety.md")
    ap.add_argument("--note", action="append", default=[],
                    help="a line to add to the report's header (repeatable), e.g. how the set was used")
    args = ap.parse_args(argv)

    from community.safety import assess

    items = load(args.data)
    if not items:
        print(f"no messages in {args.data}", file=sys.stderr)
        return 1
    stats = evaluate(items, assess)
    per_message_us = time_messages(assess, [i["text"] for i in items], args.repeat, args.warmup)

    lines = ["# Safety benchmark", ""]
    lines += header(("community/safety", "bench/safety.py", "bench/data/safety_messages.jsonl"),
                    "detector: pure Python, standard library only (re, unicodedata, tomllib, json); lexicon "
                    "rules plus the linear model in community/safety/data/model.json",
                    "other work was running; times may be inflated")
    shown, args_in = [], list(argv if argv is not None else sys.argv[1:])
    for k, arg in enumerate(args_in):  # the notes are printed below, not repeated in the command
        shown.append('"…"' if k and args_in[k - 1] == "--note" else arg)
    lines.append("- Command: `" + " ".join(["python -m bench.safety", *shown]) + "`")
    lines.append(f"- Timing: {args.warmup} warm-up rounds, then {args.repeat} timed calls per message "
                 "(time.perf_counter_ns); a message's time is the median of its calls")
    lines += [f"- Note: {note}" for note in args.note]
    lines.append("")
    lines += report(stats, per_message_us, args.data.resolve())
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
