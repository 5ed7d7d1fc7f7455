"""Chat filter benchmark: time per message of `community.filters.check` with the default rules.

    .venv/bin/python -m bench.filters                   # 4,000 messages, 5 timed runs each
    .venv/bin/python -m bench.filters --n 2000 --repeat 9 --seed 1

Messages are generated (seeded) in five mixes, about 80 characters each:
- clean: everyday group chat, some emoji and plain punctuation;
- profanity: clean chat with one swear word, written plainly or disguised ("f u c k", "@$$", "sh1t",
  "fuuuck", Cyrillic letters, zero-width characters);
- insult/spam: a held insult ("you idiot") or a blocked spam phrase inside chat;
- link (new member): chat with a URL or bare domain, checked with author_is_new=True;
- history: clean chat checked with five recent messages from the author (flood and duplicate checks).
Each message is checked once untimed, then `--repeat` times timed with perf_counter_ns; a message's
time is the median of its runs. The table gives, per mix, the median and 95th percentile of those
times in microseconds, and how the messages were decided.
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter

from bench.machine import header
from community.filters import check, default_rules

OPENERS = ["Hey everyone,", "Morning all!", "Quick question:", "So", "Honestly,", "Haha", "Update:", "Hi folks,",
           "Just got back and", "Not sure about you, but", "Thanks for yesterday,", "Okay so"]
MIDDLES = ["I was thinking we could meet at the park on Saturday around 3pm",
           "the new cafe on Main Street has really good coffee and quiet tables",
           "has anyone tried the pottery class at the community centre",
           "my therapist suggested I try joining more group walks this month",
           "I finished the assessment and passed, which felt like a big deal",
           "the bass player at the open mic last night was amazing",
           "we could do a board game night at my place next week",
           "I'm still a bit nervous about meeting new people but excited",
           "the weather in Sussex has been lovely for long walks lately",
           "I made a cocktail recipe from that classic book, it was great"]
CLOSERS = ["what do you think?", "let me know!", "😀", "🙂👍", "anyone in?", "no pressure though.", "ok?", "lol",
           "see you there", "cheers!", ""]
SWEARS = ["fuck", "f u c k", "fuuuck", "FUCKING", "shit", "sh1t", "sh!t", "$hit", "ass", "@ss", "a$$", "@$$",
          "a\u200bss", "\u0430ss", "bitch", "b1tch", "bastard", "dickhead", "bullsh1t"]
HELD = ["you idiot", "you're pathetic", "nobody likes you", "you are a loser"]
SPAM = ["buy followers", "crypto giveaway", "click this link to earn", "make money fast"]
LINKS = ["https://example.com/event", "www.meetup-example.org", "example.com/page", "bit.ly/3xYz",
         "t.me/somechannel", "http://cafe-example.co.uk/menu"]


def chat(rng: random.Random) -> str:
    return f"{rng.choice(OPENERS)} {rng.choice(MIDDLES)}, {rng.choice(CLOSERS)}".strip(", ")


def insert(rng: random.Random, text: str, extra: str) -> str:
    words = text.split(" ")
    k = rng.randrange(1, len(words))
    return " ".join(words[:k] + [extra] + words[k:])


def messages(n: int, seed: int) -> dict[str, list[tuple[str, dict]]]:
    rng = random.Random(seed)
    per = n // 5
    now = 1_700_000_000.0
    mixes: dict[str, list[tuple[str, dict]]] = {m: [] for m in
                                                ("clean", "profanity", "insult/spam", "link (new member)", "history")}
    for _ in range(per):
        mixes["clean"].append((chat(rng), {}))
        mixes["profanity"].append((insert(rng, chat(rng), rng.choice(SWEARS)), {}))
        mixes["insult/spam"].append((insert(rng, chat(rng), rng.choice(HELD + SPAM)), {}))
        mixes["link (new member)"].append((insert(rng, chat(rng), rng.choice(LINKS)), {"author_is_new": True}))
        recent = [(now - rng.uniform(1, 120), chat(rng)) for _ in range(5)]
        recent.sort()
        mixes["history"].append((chat(rng), {"recent": recent, "now": now}))
    return mixes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(n: int, repeat: int, seed: int) -> str:
    rules = default_rules()
    mixes = messages(n, seed)
    lines = ["# Chat filter benchmark", "",
             *header(("community/filters", "community/safety/normalize.py"), "stdlib only",
                     "the machine was busy; times may be high"),
             f"- {sum(len(v) for v in mixes.values())} messages, seed {seed}, median of {repeat} timed runs each", "",
             "| mix | messages | mean chars | median µs | p95 µs | decided (allow/mask/hold/block) |",
             "|---|---:|---:|---:|---:|---|"]
    everything: list[float] = []
    for name, items in mixes.items():
        times, actions = [], Counter()
        for text, kwargs in items:
            actions[check(text, rules, **kwargs).action] += 1  # warm-up, and the decision
            runs = []
            for _ in range(repeat):
                t0 = time.perf_counter_ns()
                check(text, rules, **kwargs)
                runs.append((time.perf_counter_ns() - t0) / 1000)
            times.append(statistics.median(runs))
        everything.extend(times)
        chars = statistics.mean(len(t) for t, _ in items)
        decided = "/".join(str(actions[a]) for a in ("allow", "mask", "hold", "block"))
        lines.append(f"| {name} | {len(items)} | {chars:.0f} | {statistics.median(times):.1f} | "
                     f"{percentile(times, 0.95):.1f} | {decided} |")
    lines.append(f"| **all** | {len(everything)} | | {statistics.median(everything):.1f} | "
                 f"{percentile(everything, 0.95):.1f} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000, help="messages in all (split over five mixes)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per message")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="also write the report to this file")
    args = parser.parse_args(argv)
    report = run(args.n, args.repeat, args.seed)
    print(report)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(report + "\n")


if __name__ == "__main__":
    main()
