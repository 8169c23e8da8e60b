#!/usr/bin/env python3
"""Per-rule table of the reader's problem rules over the three development sets.

usage (from the project's root, after a release build):
    OUT=/tmp/wb-rules ../shared/eval/dev-scores.sh target/release/waarborg
    python3 crates/waarborg-reader/scripts/rule_table.py /tmp/wb-rules > crates/waarborg-reader/RULES.md

OUT is the folder dev-scores.sh writes (seeds/, dev/, t200/ with one summary JSON per document).
A finding is *right* when it matches a gold problem the way ../shared/eval/score.py matches them
(same kind; for a missing item the same `item`; otherwise an evidence quote that overlaps a gold
quote), and *wrong* otherwise. On GDPR-T200 only missing-item findings are graded, against the
gold `items_present` (a finding on an item whose applicability the gold does not establish is
counted as `n/a`); other findings there are only counted. The matching functions are imported
from score.py so that the table and the scorer cannot drift apart.
"""
import importlib.util
import json
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SHARED = os.environ.get("WAARBORG_SHARED", os.path.join(ROOT, "..", "shared"))


def load_score():
    path = os.path.join(SHARED, "eval", "score.py")
    if not os.path.exists(path):
        sys.exit(f"missing {path}: the shared corpus and scorer are needed (set WAARBORG_SHARED)")
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def grade_scored_set(score, gold_dir, pred_dir, table, col):
    for f in sorted(os.listdir(gold_dir)):
        if not f.endswith(".json"):
            continue
        gold = load(os.path.join(gold_dir, f)).get("problems") or []
        pp = os.path.join(pred_dir, f)
        if not os.path.exists(pp):
            continue
        used = set()
        for p in load(pp).get("problems") or []:
            hit = False
            for i, g in enumerate(gold):
                if i in used or g.get("kind") != p.get("kind"):
                    continue
                gi = score.item_of(g)
                if gi is not None and str(g.get("kind", "")).startswith("missing_"):
                    ok = gi == score.item_of(p)
                else:
                    gq, pq = score.quotes(g.get("evidence")), score.quotes(p.get("evidence"))
                    ok = (not gq) or any(score.overlaps(x, y) for x in gq for y in pq)
                if ok:
                    used.add(i)
                    hit = True
                    break
            key = (p.get("rule"), p.get("item") or "")
            table[key][col + "_fires"] += 1
            table[key][col + "_right" if hit else col + "_wrong"] += 1


def grade_t200(score, gold_dir, pred_dir, table):
    for f in sorted(os.listdir(gold_dir)):
        if not f.endswith(".json"):
            continue
        present = load(os.path.join(gold_dir, f)).get("items_present") or {}
        pp = os.path.join(pred_dir, f)
        if not os.path.exists(pp):
            continue
        for p in load(pp).get("problems") or []:
            key = (p.get("rule"), p.get("item") or "")
            table[key]["t200_fires"] += 1
            item = score.item_of(p)
            if p.get("kind") != "missing_art13_item" or item not in present:
                table[key]["t200_ungraded"] += 1
            elif present[item] is None:
                table[key]["t200_na"] += 1
            elif present[item] is False:
                table[key]["t200_right"] += 1
            else:
                table[key]["t200_wrong"] += 1


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    score = load_score()
    corpus = os.path.join(SHARED, "corpus")
    table = defaultdict(lambda: defaultdict(int))
    grade_scored_set(score, os.path.join(corpus, "gold"), os.path.join(out, "seeds"), table, "seeds")
    grade_scored_set(score, os.path.join(corpus, "dev", "gold"), os.path.join(out, "dev"), table, "dev")
    grade_t200(score, os.path.join(corpus, "gdpr-t200-dev", "gold"), os.path.join(out, "t200"), table)
    print("# The reader's problem rules: where they fire and whether they are right")
    print()
    print("Generated; do not edit. Reproduce from the project's root after `cargo build --release -p waarborg`:")
    print()
    print("```sh")
    print("OUT=/tmp/wb-rules ../shared/eval/dev-scores.sh target/release/waarborg")
    print("python3 crates/waarborg-reader/scripts/rule_table.py /tmp/wb-rules > crates/waarborg-reader/RULES.md")
    print("```")
    print()
    print("Sets: `seeds` (5 documents the first rules were written from), `dev` (18 documents, Dutch and")
    print("English, never tuned on one at a time), `t200` (100 English app policies of GDPR-T200).")
    print("right / wrong on seeds and dev: matched or not by a gold problem, as `score.py` matches (gold")
    print("holds what the annotators were sure of, so a *wrong* can still be a true finding: read it).")
    print("On t200 only missing-item findings are graded, against the gold `items_present`;")
    print("`n/a` = the gold does not establish that the conditional item applies; other rules are only")
    print("counted there (`fires`).")
    print()
    print("| rule | item | seeds fires | right | wrong | dev fires | right | wrong | t200 fires | right | wrong | n/a |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    tot = defaultdict(int)
    for (rule, item) in sorted(table, key=lambda k: (str(k[0]), k[1])):
        r = table[(rule, item)]
        cols = ["seeds_fires", "seeds_right", "seeds_wrong", "dev_fires", "dev_right", "dev_wrong",
                "t200_fires", "t200_right", "t200_wrong", "t200_na"]
        for c in cols:
            tot[c] += r[c]
        print(f"| `{rule}` | {item} | " + " | ".join(str(r[c]) for c in cols) + " |")
    print("| **all** | | " + " | ".join(str(tot[c]) for c in ["seeds_fires", "seeds_right", "seeds_wrong",
          "dev_fires", "dev_right", "dev_wrong", "t200_fires", "t200_right", "t200_wrong", "t200_na"]) + " |")


if __name__ == "__main__":
    main()
