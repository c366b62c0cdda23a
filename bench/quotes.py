"""Quotation benchmark: speaker attribution and the merge threshold.

Run from the repository root::

    python -m bench.quotes                 # fast path and, when installed, the spaCy path
    python -m bench.quotes --clusters 40   # fewer Multi-News clusters for the threshold part
    python -m bench.quotes --polnear dev   # PolNeAR dev only (train to tune): see below

1. **Speaker attribution, hand-labelled.** ``GOLD`` below is a small set of articles that we
   invented for this benchmark (no real text): each quotation of four words or more is
   labelled with the full name of its speaker as a reader would give it. A quotation counts as
   found when a returned quote has the same text. Precision = right speakers / quotations
   returned with a speaker; recall = right speakers / gold quotations.
2. **Speaker attribution on real data.** No gold speaker labels exist in ``../shared/data``
   (the summarization sets label summaries, not quotations), so on Multi-News dev we only
   report coverage: the share of quotations of four words or more that get a speaker. Coverage
   is not accuracy.
3. **Speaker attribution against human annotation: PolNeAR.** Every attribution of 924
   political news articles annotated (Source, Cue, Content). Gold quotations, their speakers
   (names, pronouns resolved along the annotators' chain of named speakers), the matching rule
   and the scores (found, attribution precision, found-with-the-right-speaker recall, strict
   precision) are defined in `bench.quotes_polnear`'s docstring. Each article is given to the
   stage alone, uncleaned, so that the gold offsets hold. On dev, the "checked" rows score the
   same output with the pronoun speakers we checked by hand (``polnear_dev_checked.tsv``).
4. **Merge threshold.** Real quotations (4+ words) from Multi-News dev. Positives: each
   quotation against a garbled copy of itself with 30% of its words replaced by other words of
   the cluster (a stand-in for a machine-spun copy; the seed's spun copy swaps about that
   share). Negatives: pairs of different quotations of the same cluster. We print the score
   distributions of `newsfuse.quotes.similarity` and precision/recall at several thresholds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from bench import quotes_polnear
from newsfuse import quotes
from newsfuse.clean import clean_articles
from newsfuse.errors import MissingModel
from newsfuse.model import Article, CleanArticle
from newsfuse.nlp import spacy_pipeline as models

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "summarization"

# Invented articles: (text, [(quotation, speaker), ...]). Every pattern the stage claims.
GOLD: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Mayor Helen Ortiz opened the new bridge on Monday.\n"
        '"This bridge connects two halves of our city," Ortiz said.\n'
        'She added: "We finished the work three months early."',
        [
            ("This bridge connects two halves of our city", "Helen Ortiz"),
            ("We finished the work three months early.", "Helen Ortiz"),
        ],
    ),
    (
        "The transport minister, Paul Okafor, visited the site.\n"
        '"The trains will run every ten minutes," said the minister.\n'
        'Critics were unconvinced. "Nobody believes those timetables anymore," said Rosa Lind, '
        "who leads the commuters' union.",
        [
            ("The trains will run every ten minutes", "Paul Okafor"),
            ("Nobody believes those timetables anymore", "Rosa Lind"),
        ],
    ),
    (
        "Dr. Amara Singh studied the outbreak for two years.\n"
        'According to Singh, "the virus spread through the water supply in every case."\n'
        "Her colleague Tom Berg disagreed. "
        '"We found no trace of it in the reservoirs," he told reporters.',
        [
            ("the virus spread through the water supply in every case.", "Amara Singh"),
            ("We found no trace of it in the reservoirs", "Tom Berg"),
        ],
    ),
    (
        "Chancellor Greta Vogel met union leaders in the capital.\n"
        'Vogel, speaking after the meeting, said the talks were "the most honest we have had in '
        'years."\n'
        '"We will not accept a pay freeze," union chief Marco Bellini countered. '
        '"Our members have waited long enough."',
        [
            ("the most honest we have had in years.", "Greta Vogel"),
            ("We will not accept a pay freeze", "Marco Bellini"),
            ("Our members have waited long enough.", "Marco Bellini"),
        ],
    ),
    (
        "The company's chief executive, Laila Haddad, announced 400 job cuts.\n"
        '"These decisions are never easy for a family firm," Haddad wrote in a letter to staff.\n'
        "The spokesman for the workers, Ivan Petrov, called the move a betrayal. "
        '"They promised us security only last spring," Petrov said.',
        [
            ("These decisions are never easy for a family firm", "Laila Haddad"),
            ("They promised us security only last spring", "Ivan Petrov"),
        ],
    ),
    (
        "Senator Joan Whitaker defended the bill in a speech on Thursday.\n"
        'Whitaker said the law would "protect every child in this state from lead pipes."\n'
        'Her opponent was blunt: "This is an election stunt and nothing more."',
        [
            ("protect every child in this state from lead pipes.", "Joan Whitaker"),
            ("This is an election stunt and nothing more.", ""),
        ],
    ),
    (
        "Coach Sam Reyes was in a good mood after the final.\n"
        '"I am so proud of these players tonight," he said, smiling. '
        '"Nobody gave us a chance in August."\n'
        "Captain Lena Fox lifted the trophy. "
        '"This one is for the fans who travelled," she said.',
        [
            ("I am so proud of these players tonight", "Sam Reyes"),
            ("Nobody gave us a chance in August.", "Sam Reyes"),
            ("This one is for the fans who travelled", "Lena Fox"),
        ],
    ),
    (
        "Police Chief Dana Brooks briefed reporters outside the station.\n"
        '"We have arrested two men and are looking for a third," Brooks said.\n'
        "A neighbour, Kofi Mensah, described the scene. "
        '"There was smoke everywhere and people were screaming," Mensah said.',
        [
            ("We have arrested two men and are looking for a third", "Dana Brooks"),
            ("There was smoke everywhere and people were screaming", "Kofi Mensah"),
        ],
    ),
]


def attribution(use_model: bool) -> tuple[float, float, int]:
    """Precision, recall and the gold count of speaker attribution on ``GOLD``."""
    gold = right = returned = 0
    for i, (text, labels) in enumerate(GOLD):
        article = CleanArticle(Article(id=f"g{i}", text=text), text, 0, 0)
        found = {q.text: q.speaker for q in quotes.extract([article], quotes.Settings(use_model))}
        for quote, speaker in labels:
            if not speaker:
                # any speaker for an unattributed quotation is wrong
                returned += found.get(quote) is not None
                continue
            gold += 1
            returned += found.get(quote) is not None
            right += found.get(quote) == speaker
    return right / max(1, returned), right / max(1, gold), gold


KINDS = {"named + pronoun": ("named", "pronoun"), "named": ("named",), "pronoun": ("pronoun",)}
# Dev only: the same with the pronoun speakers checked by hand (bench/polnear_dev_checked.tsv).
CHECKED = {"named + pronoun, checked": ("named", "pronoun"), "pronoun, checked": ("pronoun",)}


def polnear(
    split: str, use_model: bool, limit: int | None = None
) -> dict[str, quotes_polnear.Score]:
    """The PolNeAR scores of the stage on ``split``, summed over its articles, for the target
    set (``named + pronoun``) and for each kind of gold speaker alone."""
    totals = dict.fromkeys(KINDS, quotes_polnear.Score())
    settings = quotes.Settings(use_model)
    golds = quotes_polnear.load(split, limit)
    fixed = quotes_polnear.checked(golds) if split == "dev" else []
    if fixed:
        totals.update(dict.fromkeys(CHECKED, quotes_polnear.Score()))
    for i, gold in enumerate(golds):
        found = quotes.extract([gold.article], settings)
        for name, kinds in KINDS.items():
            totals[name] += quotes_polnear.score(gold, found, kinds)
        for name, kinds in CHECKED.items() if fixed else ():
            totals[name] += quotes_polnear.score(fixed[i], found, kinds)
    return totals


def _polnear_table(split: str, paths: Sequence[bool], limit: int | None) -> None:
    print(f"PolNeAR {split}: direct quotations with a named or resolved source")
    print("| path | gold speaker | quotations | found | precision | right recall | strict P | s |")
    print("|---|---|---|---|---|---|---|---|")
    for use_model in paths:
        started = time.perf_counter()
        scores = polnear(split, use_model, limit)
        took = time.perf_counter() - started
        for kind, s in scores.items():
            print(
                f"| {'spaCy' if use_model else 'fast'} | {kind} | {s.target} | "
                f"{s.recall_found:.3f} | {s.precision:.3f} | {s.right_recall:.3f} | "
                f"{s.strict_precision:.3f} | {took:.1f} |"
            )


def _clusters(limit: int) -> list[list[CleanArticle]]:
    path = DATA / "multinews-dev" / "clusters.jsonl"
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            docs = json.loads(line)["docs"]
            articles = [Article(id=d["id"], text=d["text"]) for d in docs]
            out.append(clean_articles(articles))
            if len(out) >= limit:
                break
    return out


def coverage(clusters: Sequence[Sequence[CleanArticle]], use_model: bool) -> tuple[float, int]:
    """Share of quotations (4+ words, as the stage counts them) that get a speaker."""
    total = attributed = 0
    for cluster in clusters:
        found = quotes.extract(cluster, quotes.Settings(use_model))
        attributed += sum(len(q.sources) for q in found if q.speaker is not None)
        total += sum(_count_quotations(a.text) for a in cluster)
    return attributed / max(1, total), total


def _count_quotations(text: str) -> int:
    inner = re.findall(r"“([^“”\n]*)”|\"([^\"\n]*)\"", text)
    return sum(len(re.findall(r"[\w’'\-]+", a or b)) >= 4 for a, b in inner)


def threshold_table(clusters: Sequence[Sequence[CleanArticle]]) -> str:
    rng = random.Random(13)
    pos: list[float] = []
    neg: list[float] = []
    for cluster in clusters:
        texts = [q for a in cluster for q in _quotations(a.text)]
        vocab = sorted({w for t in texts for w in t})
        for t in texts:
            pos.append(quotes.similarity(t, _garble(t, vocab, rng, 0.3)))
        pairs = [(a, b) for i, a in enumerate(texts) for b in texts[i + 1 :] if a != b]
        for a, b in rng.sample(pairs, min(len(pairs), 200)):
            neg.append(quotes.similarity(a, b))
    rows = [
        f"positives {len(pos)}: mean {statistics.mean(pos):.2f}, "
        f"5th pct {_pct(pos, 5):.2f}, min {min(pos):.2f}",
        f"negatives {len(neg)}: mean {statistics.mean(neg):.2f}, "
        f"99th pct {_pct(neg, 99):.2f}, max {max(neg):.2f}",
        "| threshold | recall (garbled copies merged) | false merges per 1,000 pairs |",
        "|---|---|---|",
    ]
    for t in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        recall = sum(p >= t for p in pos) / len(pos)
        false = 1000 * sum(n >= t for n in neg) / len(neg)
        rows.append(f"| {t:.2f} | {recall:.3f} | {false:.1f} |")
    return "\n".join(rows)


def _quotations(text: str) -> list[list[str]]:
    inner = re.findall(r"“([^“”\n]*)”|\"([^\"\n]*)\"", text)
    words = [re.findall(r"[\w’'\-]+", a or b) for a, b in inner]
    return [w for w in words if len(w) >= 4]


def _garble(words: list[str], vocab: list[str], rng: random.Random, share: float) -> list[str]:
    return [rng.choice(vocab) if rng.random() < share else w for w in words]


def _pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clusters", type=int, default=116, help="Multi-News dev clusters")
    parser.add_argument("--polnear", choices=("dev", "train"), help="only PolNeAR, this split")
    parser.add_argument("--limit", type=int, help="PolNeAR: the first N articles")
    parser.add_argument("--fast-only", action="store_true", help="skip the spaCy path")
    args = parser.parse_args()
    paths = [False]
    try:
        if not args.fast_only:
            models.load()
            paths.append(True)
    except MissingModel as exc:
        print(f"(spaCy path skipped: {exc})")
    if args.polnear:
        _polnear_table(args.polnear, paths, args.limit)
        return
    if quotes_polnear.DATA.exists():
        _polnear_table("dev", paths, None)
        print()
    clusters = _clusters(args.clusters) if (DATA / "multinews-dev").exists() else []
    print("| path | P (hand-labelled) | R (hand-labelled) | gold | coverage (Multi-News) | s |")
    print("|---|---|---|---|---|---|")
    for use_model in paths:
        started = time.perf_counter()
        p, r, n = attribution(use_model)
        cov, total = coverage(clusters, use_model) if clusters else (float("nan"), 0)
        took = time.perf_counter() - started
        name = "spaCy" if use_model else "fast"
        print(f"| {name} | {p:.3f} | {r:.3f} | {n} | {cov:.3f} of {total} | {took:.1f} |")
    if clusters:
        print()
        print(threshold_table(clusters))


if __name__ == "__main__":
    main()
