//! Trains the passage classifier of `classify.rs` on the GDPR-T200 development annotations and
//! evaluates it by cross-validation split by document, against and together with the reader's
//! rules (issue 13 item 4; the figures and the verdict are in `RESULTS.md`).
//!
//! ```sh
//! # the rules-only reader's JSON per document
//! mkdir -p /tmp/clf/rules && for f in ../shared/corpus/gdpr-t200-dev/docs/*.txt; do
//!   target/release/waarborg read --format json "$f" > /tmp/clf/rules/$(basename "$f" .txt).json; done
//! # 5-fold CV by document (nested: modes and thresholds chosen on the training folds only),
//! # held-out predictions for score_completeness.py, then the model trained on all documents
//! cargo run --release -p waarborg-reader --example train_classifier -- \
//!     ../shared/corpus/gdpr-t200-dev /tmp/clf/model.tsv --rules /tmp/clf/rules --cv /tmp/clf/cv
//! for k in rules clf combo; do python3 ../shared/eval/score_completeness.py \
//!     ../shared/corpus/gdpr-t200-dev/gold /tmp/clf/cv/$k | tail -1; done
//! # scoring time of a model on a document (mean of 200 runs)
//! cargo run --release -p waarborg-reader --example train_classifier -- --time /tmp/clf/model.tsv FILE
//! ```
//!
//! Passages are the lines of `docs/<id>.txt` (as `classify::passages` cuts them); a passage's
//! labels are those of the annotation passage with the same text (`performed: false` counts: an
//! explicit negative discloses too). Training: logistic regression one vs rest, AdaGrad, fixed
//! epochs, a fixed seed for the order; weights below `PRUNE` dropped. Per item the mode (rules,
//! `and`, `or`, classifier alone) and its threshold are chosen on out-of-fold scores of the
//! training documents only (an inner 4-fold CV inside each outer fold). Variables for
//! experiments (defaults in [`SET`]): `EPOCHS`, `ETA`, `L2`, `MIN_DF`, `PRUNE`, `MARGIN`,
//! `MIN_AUC`, `ITEMS` (the items the classifier may decide), `FOLD_SEED` (deal the documents
//! into folds in a shuffled order: repeated CV), `DUMP` (write the out-of-fold scores as JSON).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod classify;

use classify::{ITEM_LABELS, LABELS, Mode, Model};

const SEED: u64 = 13;
/// Training settings; each can be overridden by an environment variable of the same name (for
/// experiments; the shipped model uses these defaults).
struct Settings {
    epochs: usize,
    eta: f32,
    l2: f32,
    min_df: usize,
    prune: f32,
    /// A mode other than the rules must beat them by this much micro F1 on the training
    /// documents.
    margin: f64,
    /// The classifier decides an item only where its out-of-fold scores rank the documents
    /// at least this well (AUC).
    min_auc: f64,
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

static SET: std::sync::LazyLock<Settings> = std::sync::LazyLock::new(|| Settings {
    epochs: env("EPOCHS", 12),
    eta: env("ETA", 0.3),
    l2: env("L2", 1e-5),
    min_df: env("MIN_DF", 2),
    prune: env("PRUNE", 0.02),
    margin: env("MARGIN", 0.003),
    min_auc: env("MIN_AUC", 0.0),
});
const FOLDS: usize = 5;
const NL: usize = LABELS.len();
const NI: usize = ITEM_LABELS.len();

struct Doc {
    id: String,
    text: String,
    /// Per passage: feature names and label mask.
    passages: Vec<(Vec<String>, u32)>,
    /// Per item: Some(true) present, Some(false) missing, None not scored.
    gold: [Option<bool>; NI],
    rules_missing: [bool; NI],
}

fn load(corpus: &Path, rules: &Path) -> Vec<Doc> {
    let mut ids: Vec<String> = std::fs::read_dir(corpus.join("docs"))
        .expect("docs/ under the corpus")
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".txt")
                .map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids.into_iter()
        .map(|id| {
            let text =
                std::fs::read_to_string(corpus.join("docs").join(format!("{id}.txt"))).unwrap();
            let ann: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(corpus.join("annotations").join(format!("{id}.json")))
                    .unwrap(),
            )
            .unwrap();
            let ps = classify::passages(&text);
            let mut masks = vec![0u32; ps.len()];
            let mut cursor = 0;
            for a in ann.as_array().unwrap() {
                let pt = a["passage"].as_str().unwrap_or("").trim();
                let pt = pt.strip_prefix("- ").unwrap_or(pt).trim();
                let mut mask = 0u32;
                for an in a["annotations"].as_array().into_iter().flatten() {
                    let r = an["requirement"].as_str().unwrap_or("");
                    if let Some(l) = LABELS.iter().position(|x| *x == r) {
                        mask |= 1 << l;
                    }
                }
                let found = (cursor..ps.len())
                    .chain(0..cursor)
                    .find(|&i| ps[i].text == pt);
                if let Some(i) = found {
                    masks[i] |= mask;
                    cursor = i + 1;
                } else if mask != 0 {
                    eprintln!("{id}: labelled passage not found: {:.60}", pt);
                }
            }
            let passages = ps
                .iter()
                .zip(masks)
                .map(|(p, m)| (classify::features(p.text, p.heading), m))
                .collect();
            let gold_v: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(corpus.join("gold").join(format!("{id}.json"))).unwrap(),
            )
            .unwrap();
            let mut gold = [None; NI];
            for (k, (item, _)) in ITEM_LABELS.iter().enumerate() {
                gold[k] = gold_v["items_present"][item].as_bool();
            }
            let mut rules_missing = [false; NI];
            let rp = rules.join(format!("{id}.json"));
            let rv: serde_json::Value = std::fs::read_to_string(&rp)
                .ok()
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_else(|| {
                    eprintln!("no rules prediction {}", rp.display());
                    serde_json::Value::Null
                });
            for p in rv["problems"].as_array().into_iter().flatten() {
                if p["kind"] == "missing_art13_item"
                    && let Some(it) = p["item"].as_str()
                    && let Some(k) = ITEM_LABELS.iter().position(|(i, _)| *i == it)
                {
                    rules_missing[k] = true;
                }
            }
            Doc {
                id,
                text,
                passages,
                gold,
                rules_missing,
            }
        })
        .collect()
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Trains on the given documents; returns the model text (without item lines) as parts.
fn train(docs: &[&Doc]) -> (Vec<f32>, Vec<classify::Weights>) {
    let mut df: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        let mut seen: HashSet<&str> = HashSet::new();
        for (fs, _) in &d.passages {
            for f in fs {
                if seen.insert(f) {
                    *df.entry(f).or_default() += 1;
                }
            }
        }
    }
    let mut names: Vec<&str> = df
        .iter()
        .filter(|(_, c)| **c >= SET.min_df)
        .map(|(f, _)| *f)
        .collect();
    names.sort_unstable();
    let vocab: HashMap<&str, usize> = names.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let examples: Vec<(Vec<usize>, f32, u32)> = docs
        .iter()
        .flat_map(|d| d.passages.iter())
        .map(|(fs, m)| {
            let idx: Vec<usize> = fs
                .iter()
                .filter_map(|f| vocab.get(f.as_str()).copied())
                .collect();
            (idx, 1.0 / (fs.len().max(1) as f32).sqrt(), *m)
        })
        .collect();
    let mut w = vec![0f32; names.len() * NL];
    let mut g2 = vec![1e-6f32; names.len() * NL];
    let mut b = [0f32; NL];
    let mut bg = [1e-6f32; NL];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng(SEED.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    for _ in 0..SET.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &e in &order {
            let (idx, norm, mask) = &examples[e];
            for l in 0..NL {
                let mut z = b[l];
                for &j in idx {
                    z += w[j * NL + l] * norm;
                }
                let y = if mask & (1 << l) != 0 { 1.0 } else { 0.0 };
                let g = classify::sigmoid(z) - y;
                if g.abs() < 1e-3 {
                    continue;
                }
                for &j in idx {
                    let k = j * NL + l;
                    let gr = g * norm + SET.l2 * w[k];
                    g2[k] += gr * gr;
                    w[k] -= SET.eta * gr / g2[k].sqrt();
                }
                bg[l] += g * g;
                b[l] -= SET.eta * g / bg[l].sqrt();
            }
        }
    }
    let feats = names
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let ws: Vec<(u8, f32)> = (0..NL)
                .filter_map(|l| {
                    let v = (w[i * NL + l] * 1000.0).round() / 1000.0;
                    (v.abs() >= SET.prune).then_some((l as u8, v))
                })
                .collect();
            (!ws.is_empty()).then(|| ((*f).to_owned(), ws))
        })
        .collect();
    let bias = b.iter().map(|v| (v * 1000.0).round() / 1000.0).collect();
    (bias, feats)
}

fn render(bias: &[f32], feats: &[classify::Weights], modes: &[Mode]) -> String {
    let mut s = String::new();
    s.push_str("# Waarborg passage classifier (src/classify.rs), English; trained by\n");
    s.push_str("# examples/train_classifier.rs on the GDPR-T200 development annotations. Generated: do not edit.\n");
    s.push_str("labels");
    for l in LABELS {
        s.push('\t');
        s.push_str(l);
    }
    s.push_str("\nbias");
    for v in bias {
        write!(s, "\t{v}").unwrap();
    }
    s.push('\n');
    for ((item, _), m) in ITEM_LABELS.iter().zip(modes) {
        writeln!(s, "item\t{item}\t{}", m.to_field()).unwrap();
    }
    for (f, ws) in feats {
        s.push_str("f\t");
        s.push_str(f);
        for (l, v) in ws {
            write!(s, "\t{l}:{v}").unwrap();
        }
        s.push('\n');
    }
    s
}

/// Item scores of documents under a model trained on `train_docs`.
fn scores(train_docs: &[&Doc], test: &[&Doc]) -> Vec<Vec<f32>> {
    let (bias, feats) = train(train_docs);
    let m = Model::from_parts(bias, &feats, vec![Mode::Rules; NI]);
    test.iter().map(|d| m.item_scores(&d.text)).collect()
}

/// Out-of-fold item scores of `docs` by k-fold CV (folds by position in the sorted list).
fn oof(docs: &[&Doc], k: usize) -> Vec<Vec<f32>> {
    let mut out = vec![Vec::new(); docs.len()];
    for f in 0..k {
        let tr: Vec<&Doc> = docs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != f)
            .map(|(_, d)| *d)
            .collect();
        let te_i: Vec<usize> = (0..docs.len()).filter(|i| i % k == f).collect();
        let te: Vec<&Doc> = te_i.iter().map(|&i| docs[i]).collect();
        for (i, s) in te_i.into_iter().zip(scores(&tr, &te)) {
            out[i] = s;
        }
    }
    out
}

#[derive(Clone, Copy, Default)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

fn tally(docs: &[&Doc], sc: &[Vec<f32>], item: usize, mode: Mode) -> Tally {
    let mut t = Tally::default();
    for (d, s) in docs.iter().zip(sc) {
        let Some(present) = d.gold[item] else {
            continue;
        };
        let pred = mode.missing(d.rules_missing[item], s[item]);
        match (!present, pred) {
            (true, true) => t.tp += 1,
            (false, true) => t.fp += 1,
            (true, false) => t.fn_ += 1,
            _ => {}
        }
    }
    t
}

fn f1(t: Tally) -> f64 {
    let d = 2 * t.tp + t.fp + t.fn_;
    if d == 0 {
        1.0
    } else {
        2.0 * t.tp as f64 / d as f64
    }
}

/// How well the scores rank the documents that lack item `i` below those that have it (0.5 is
/// chance; 0.5 when one side is empty).
fn auc(docs: &[&Doc], sc: &[Vec<f32>], i: usize) -> f64 {
    let (mut miss, mut pres) = (Vec::new(), Vec::new());
    for (d, s) in docs.iter().zip(sc) {
        match d.gold[i] {
            Some(false) => miss.push(s[i]),
            Some(true) => pres.push(s[i]),
            None => {}
        }
    }
    if miss.is_empty() || pres.is_empty() {
        return 0.5;
    }
    let mut c = 0.0;
    for m in &miss {
        for p in &pres {
            c += if m < p {
                1.0
            } else if m == p {
                0.5
            } else {
                0.0
            };
        }
    }
    c / (miss.len() * pres.len()) as f64
}

/// Whether the classifier may decide item `i`: the items of the `ITEMS` variable (comma
/// separated), all when it is not set.
fn allowed(i: usize) -> bool {
    match std::env::var("ITEMS") {
        Ok(list) => list.split(',').any(|x| x.trim() == ITEM_LABELS[i].0),
        Err(_) => true,
    }
}

/// Chooses per item the mode that gives the best micro F1 on `docs` (others at the rules),
/// with the scores `sc`. `allow_rules = false` chooses among classifier thresholds only.
fn choose(docs: &[&Doc], sc: &[Vec<f32>], combine: bool) -> Vec<Mode> {
    let rules: Vec<Tally> = (0..NI).map(|i| tally(docs, sc, i, Mode::Rules)).collect();
    let total = |i: usize, t: Tally| {
        let mut s = t;
        for (j, r) in rules.iter().enumerate() {
            if j != i {
                s.tp += r.tp;
                s.fp += r.fp;
                s.fn_ += r.fn_;
            }
        }
        f1(s)
    };
    let grid: Vec<f32> = (0..=50).map(|k| k as f32 / 50.0).collect();
    (0..NI)
        .map(|i| {
            if !allowed(i) || auc(docs, sc, i) < SET.min_auc {
                return Mode::Rules;
            }
            let base = total(i, rules[i]);
            let kinds: Vec<fn(f32) -> Mode> = if combine {
                vec![Mode::And, Mode::Or, Mode::Classifier]
            } else {
                vec![Mode::Classifier]
            };
            let mut best: (f64, Mode) = if combine {
                (base + SET.margin, Mode::Rules)
            } else {
                (-1.0, Mode::Rules)
            };
            for k in kinds {
                let fs: Vec<f64> = grid
                    .iter()
                    .map(|t| total(i, tally(docs, sc, i, k(*t))))
                    .collect();
                let top = fs.iter().copied().fold(f64::MIN, f64::max);
                // the middle of the longest run of thresholds that reach the top
                let (mut run, mut best_run, mut at) = (0usize, 0usize, 0usize);
                for (g, f) in fs.iter().enumerate() {
                    if (*f - top).abs() < 1e-12 {
                        run += 1;
                        if run > best_run {
                            best_run = run;
                            at = g - (run - 1) / 2;
                        }
                    } else {
                        run = 0;
                    }
                }
                if top > best.0 {
                    best = (top, k(grid[at]));
                }
            }
            best.1
        })
        .collect()
}

fn write_preds(dir: &Path, d: &Doc, missing: &[bool]) {
    std::fs::create_dir_all(dir).unwrap();
    let problems: Vec<serde_json::Value> = ITEM_LABELS
        .iter()
        .zip(missing)
        .filter(|(_, m)| **m)
        .map(|((item, _), _)| serde_json::json!({"kind": "missing_art13_item", "item": item, "rule": "CV", "evidence": [], "explanation": ""}))
        .collect();
    let v = serde_json::json!({"problems": problems});
    std::fs::write(dir.join(format!("{}.json", d.id)), v.to_string()).unwrap();
}

fn show(modes: &[Mode]) -> String {
    ITEM_LABELS
        .iter()
        .zip(modes)
        .filter(|(_, m)| **m != Mode::Rules)
        .map(|((i, _), m)| format!("{i}={}", m.to_field().replace('\t', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `--time MODEL FILE`: the mean time of scoring one document (200 runs after a warm-up).
fn time(model: &str, file: &str) {
    let m = Model::parse(&std::fs::read_to_string(model).unwrap()).unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    println!("modes: {}", show(m.modes()));
    let mut sink = 0.0;
    sink += m.item_scores(&text).iter().sum::<f32>();
    let n = 200;
    let started = std::time::Instant::now();
    for _ in 0..n {
        sink += m.item_scores(&text).iter().sum::<f32>();
    }
    let secs = started.elapsed().as_secs_f64() / f64::from(n);
    println!(
        "{} bytes, {} features in the model: {:.3} ms per document, {:.1} MiB/s ({sink:.1})",
        text.len(),
        m.feature_count(),
        secs * 1000.0,
        text.len() as f64 / 1_048_576.0 / secs
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, model, file] = args.as_slice()
        && flag == "--time"
    {
        time(model, file);
        return;
    }
    let mut pos = Vec::new();
    let (mut rules, mut cv): (Option<PathBuf>, Option<PathBuf>) = (None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rules" => rules = it.next().map(PathBuf::from),
            "--cv" => cv = it.next().map(PathBuf::from),
            _ => pos.push(a.clone()),
        }
    }
    let [corpus, out] = pos.as_slice() else {
        eprintln!("usage: train_classifier CORPUS OUT_FILE --rules RULES_DIR [--cv PRED_DIR]");
        std::process::exit(2);
    };
    let Some(rules) = rules else {
        eprintln!("--rules RULES_DIR is required (the rules-only reader's JSON per document)");
        std::process::exit(2);
    };
    let docs = load(Path::new(corpus), &rules);
    let mut all: Vec<&Doc> = docs.iter().collect();
    // FOLD_SEED permutes the documents before they are dealt into folds (repeated CV with other
    // splits); without it the folds are by position in the sorted id list
    if let Ok(seed) = std::env::var("FOLD_SEED").map(|s| s.parse::<u64>().unwrap_or(1)) {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        for i in (1..all.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            all.swap(i, j);
        }
    }
    println!(
        "{} documents, {} passages",
        docs.len(),
        docs.iter().map(|d| d.passages.len()).sum::<usize>()
    );
    if let Some(pred) = cv {
        for f in 0..FOLDS {
            let tr: Vec<&Doc> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| i % FOLDS != f)
                .map(|(_, d)| *d)
                .collect();
            let te: Vec<&Doc> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| i % FOLDS == f)
                .map(|(_, d)| *d)
                .collect();
            let inner = oof(&tr, FOLDS - 1);
            let combo = choose(&tr, &inner, true);
            let alone = choose(&tr, &inner, false);
            println!("fold {f}: combination {}", show(&combo));
            println!("fold {f}: classifier {}", show(&alone));
            let sc = scores(&tr, &te);
            for (d, s) in te.iter().zip(&sc) {
                let m = |modes: &[Mode]| -> Vec<bool> {
                    (0..NI)
                        .map(|i| modes[i].missing(d.rules_missing[i], s[i]))
                        .collect()
                };
                write_preds(&pred.join("rules"), d, &d.rules_missing);
                write_preds(&pred.join("clf"), d, &m(&alone));
                write_preds(&pred.join("combo"), d, &m(&combo));
            }
        }
        println!(
            "held-out predictions in {}/{{rules,clf,combo}}",
            pred.display()
        );
    }
    let sc = oof(&all, FOLDS);
    if let Ok(dump) = std::env::var("DUMP") {
        let rows: Vec<serde_json::Value> = all
            .iter()
            .zip(&sc)
            .map(|(d, s)| serde_json::json!({"id": d.id, "scores": s, "rules": d.rules_missing, "gold": d.gold}))
            .collect();
        std::fs::write(dump, serde_json::Value::Array(rows).to_string()).unwrap();
    }
    let modes = choose(&all, &sc, true);
    println!("final: {}", show(&modes));
    let (bias, feats) = train(&all);
    let text = render(&bias, &feats, &modes);
    std::fs::write(out, &text).unwrap();
    println!("{}: {} features, {} bytes", out, feats.len(), text.len());
}
