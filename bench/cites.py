"""Citations against human event coreference: does source B report sentence S of source A?

    python -m bench.cites            # score the judge on ECB+ dev topics (and train), baselines
    python -m bench.cites --fit      # refit the judge's coefficients on the train topics (both
                                     # look-alike events of a topic in one briefing)

Gold (the data README's definition, ../shared/data/events/ecbplus-traindev/): for a sentence S
of document A with cross-document action chains C (ACT/NEG notes of CROSS_DOC_COREF relations),
another document B of the same event cluster reports S when B's annotated sentences mention at
least half of C. "Annotated sentences" are those the corpus authors validated
(coreference_sentences.csv); S ranges over the first three annotated sentences of each document
that carry a chain. Each event cluster is judged as one briefing would see it: its documents,
one sentence a line, in one TF-IDF space.
"""

from __future__ import annotations

import argparse
import csv
import json
import tarfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from newsfuse import align, support
from newsfuse.model import Sentence

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "events" / "ecbplus-traindev"


@dataclass(frozen=True)
class Doc:
    id: str
    cluster: str
    split: str
    sentences: tuple[str, ...]
    chains: dict[int, frozenset[str]]  # sentence index -> event chains mentioned
    annotated: tuple[int, ...]  # validated sentence indices, in order


@dataclass(frozen=True)
class Pair:
    doc: str
    sentence: int
    other: str
    reports: bool


def load(data: Path = DATA) -> list[Doc]:
    chains = _chains(data / "xml.tar.gz")
    valid: dict[str, set[int]] = defaultdict(set)
    with (data / "coreference_sentences.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            valid[f"{row['Topic']}_{row['File']}.xml"].add(int(row["Sentence Number"]))
    docs = []
    for line in (data / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        shift = 1 if d["source_part"] == "ecbplus" else 0  # XML sentence 0 is the URL there
        by_xml = chains.get(d["doc_id"], {})
        own = {x - shift: frozenset(c) for x, c in by_xml.items()}
        annotated = tuple(x - shift for x in sorted(valid[d["doc_id"]]))
        docs.append(
            Doc(d["doc_id"], d["event_cluster"], d["split"], tuple(d["sentences"]), own, annotated)
        )
    return docs


def _chains(path: Path) -> dict[str, dict[int, set[str]]]:
    out: dict[str, dict[int, set[str]]] = {}
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            fh = tar.extractfile(member) if member.isfile() else None
            if fh is None:
                continue
            root = ET.parse(fh).getroot()
            out[root.get("doc_name", "")] = _doc_chains(root)
    return out


def _doc_chains(root: ET.Element) -> dict[int, set[str]]:
    sentence = {t.get("t_id"): int(t.get("sentence", "0")) for t in root.iter("token")}
    anchors = {
        m.get("m_id"): [sentence[a.get("t_id")] for a in m.findall("token_anchor")]
        for m in root.find("Markables") or ()
    }
    found: dict[int, set[str]] = defaultdict(set)
    for rel in root.find("Relations") or ():
        note = rel.get("note") or ""
        if rel.tag == "CROSS_DOC_COREF" and note.startswith(("ACT", "NEG")):
            for src in rel.findall("source"):
                for k in anchors.get(src.get("m_id"), ()):
                    found[k].add(note)
    return dict(found)


def _group(d: Doc, mixed: bool) -> str:
    """What one briefing holds: an event cluster, or with ``mixed`` the whole topic (both
    look-alike events, as when two similar stories are briefed together)."""
    return d.cluster.split("_")[0] if mixed else d.cluster


def pairs(docs: list[Doc], split: str, mixed: bool = False) -> Iterator[Pair]:
    by_cluster: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        by_cluster[_group(d, mixed)].append(d)
    for d in docs:
        if d.split != split:
            continue
        firsts = [k for k in d.annotated if d.chains.get(k) and 0 <= k < len(d.sentences)][:3]
        for k in firsts:
            chain = d.chains[k]
            for b in by_cluster[_group(d, mixed)]:
                if b.id == d.id:
                    continue
                seen = frozenset().union(*(b.chains.get(x, frozenset()) for x in b.annotated))
                same = b.cluster == d.cluster  # the other look-alike event never reports it
                yield Pair(d.id, k, b.id, same and 2 * len(chain & seen) >= len(chain))


def judged(
    docs: list[Doc], split: str, mixed: bool = False
) -> Iterator[tuple[Pair, tuple[float, ...]]]:
    """Every gold pair of ``split`` with its features, from the judge of its briefing."""
    by_id = {d.id: d for d in docs}
    todo: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs(docs, split, mixed):
        todo[_group(by_id[p.doc], mixed)].append(p)
    for group, ps in sorted(todo.items()):
        members = [d for d in docs if _group(d, mixed) == group]
        sents = [
            Sentence(d.id, k, 0, len(t), t) for d in members for k, t in enumerate(d.sentences)
        ]
        row = {(s.source, s.index): n for n, s in enumerate(sents)}
        judge = support.Judge(align.index(sents))
        rows = sorted({row[(p.doc, p.sentence)] for p in ps})
        found = {
            (r, src): feats
            for r, ev in zip(rows, judge.evidence_all(rows), strict=True)
            for src, feats, _ in ev
        }
        for p in ps:
            yield p, found[(row[(p.doc, p.sentence)], p.other)]


def dataset(docs: list[Doc], split: str, mixed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    rows = [(feats, p.reports) for p, feats in judged(docs, split, mixed)]
    return np.array([r[0] for r in rows]), np.array([r[1] for r in rows], dtype=bool)


def probabilities(x: np.ndarray, settings: support.Settings, alone: bool = False) -> np.ndarray:
    """The judge's probabilities for feature rows ``x`` (``alone``: as for a claim checked on its
    own, from the first features only)."""
    weights = settings.claim_weights if alone else settings.weights
    intercept = settings.claim_intercept if alone else settings.intercept
    z = intercept + x[:, : len(weights)] @ np.array(weights)
    p = 1.0 / (1.0 + np.exp(-z))
    p[x[:, 0] < settings.min_passage] = 0.0
    return p


def scores(cited: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    hit = int((cited & gold).sum())
    return hit / max(1, int(cited.sum())), hit / max(1, int(gold.sum()))


def fit(x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, ...], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    return tuple(round(float(w), 2) for w in model.coef_[0]), round(float(model.intercept_[0]), 2)


def report(name: str, x: np.ndarray, y: np.ndarray, settings: support.Settings) -> None:
    print(f"{name}: {len(y)} pairs, {y.mean():.3f} of them reported")
    print(f"  cite every other document         P {y.mean():.3f}  R 1.000")
    for t in (0.2, 0.3):
        prec, rec = scores(x[:, 0] >= t, y)
        print(f"  TF-IDF best-sentence cosine >= {t}  P {prec:.3f}  R {rec:.3f}")
    for alone, threshold in ((False, settings.threshold), (True, settings.claim_threshold)):
        p = probabilities(x, settings, alone)
        label = "judge, sentence alone" if alone else "judge"
        prec, rec = scores(p >= threshold, y)
        print(f"  {label} at {threshold:.2f}  P {prec:.3f}  R {rec:.3f}")
        for t in np.arange(0.2, 0.81, 0.1):
            prec, rec = scores(p >= t, y)
            print(f"    threshold {t:.2f}: P {prec:.3f}  R {rec:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit coefficients on train topics")
    args = parser.parse_args()
    docs = load()
    train, dev = dataset(docs, "train"), dataset(docs, "dev")
    settings = support.Settings()
    if args.fit:
        # in context: both look-alike events in one briefing; alone: within events, the
        # features that need no source of the sentence's own
        weights, intercept = fit(*dataset(docs, "train", mixed=True))
        alone = len(settings.claim_weights)
        claim_weights, claim_intercept = fit(train[0][:, :alone], train[1])
        print(f"fitted on train: weights={weights} intercept={intercept}")
        print(f"  alone: claim_weights={claim_weights} claim_intercept={claim_intercept}")
        settings = replace(
            settings,
            weights=weights,
            intercept=intercept,
            claim_weights=claim_weights,
            claim_intercept=claim_intercept,
        )
    report("ECB+ train topics", *train, settings)
    report("ECB+ dev topics", *dev, settings)
    mixed = dataset(docs, "dev", mixed=True)
    report("ECB+ dev topics, both look-alike events in one briefing", *mixed, settings)


if __name__ == "__main__":
    main()
