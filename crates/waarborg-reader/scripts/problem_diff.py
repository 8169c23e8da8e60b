#!/usr/bin/env python3
"""Per document: the gold problems the reader missed (MISS) and its findings no gold problem
matches (FP), matched the way ../shared/eval/score.py matches them.

usage (from the project's root, after dev-scores.sh wrote OUT):
    python3 crates/waarborg-reader/scripts/problem_diff.py ../shared/corpus/dev/gold /tmp/wb-rules/dev
    python3 crates/waarborg-reader/scripts/problem_diff.py ../shared/corpus/gold /tmp/wb-rules/seeds

A FP can still be a true finding the annotators did not list: read it before tuning it away.
"""
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("WAARBORG_SHARED", os.path.join(HERE, "..", "..", "..", "..", "shared"))


def load_score():
    path = os.path.join(SHARED, "eval", "score.py")
    if not os.path.exists(path):
        sys.exit(f"missing {path}: the shared corpus and scorer are needed (set WAARBORG_SHARED)")
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gold_dir, pred_dir = sys.argv[1], sys.argv[2]
    s = load_score()
    for f in sorted(os.listdir(gold_dir)):
        if not f.endswith(".json"):
            continue
        gold = json.load(open(os.path.join(gold_dir, f), encoding="utf-8")).get("problems") or []
        pp = os.path.join(pred_dir, f)
        pred = (json.load(open(pp, encoding="utf-8")).get("problems") or []) if os.path.exists(pp) else []
        used, matched = set(), set()
        for j, p in enumerate(pred):
            for i, g in enumerate(gold):
                if i in used or g.get("kind") != p.get("kind"):
                    continue
                gi = s.item_of(g)
                if gi is not None and str(g.get("kind", "")).startswith("missing_"):
                    hit = gi == s.item_of(p)
                else:
                    gq, pq = s.quotes(g.get("evidence")), s.quotes(p.get("evidence"))
                    hit = (not gq) or any(s.overlaps(x, y) for x in gq for y in pq)
                if hit:
                    used.add(i)
                    matched.add(j)
                    break
        print("==", f[:-5])
        for i, g in enumerate(gold):
            if i not in used:
                print("  MISS", g.get("kind"), g.get("item") or "", "|", " || ".join(s.quotes(g.get("evidence")))[:160])
        for j, p in enumerate(pred):
            if j not in matched:
                print("  FP  ", p.get("rule"), p.get("item") or "", "|", " || ".join(p.get("evidence") or [])[:160])


if __name__ == "__main__":
    main()
