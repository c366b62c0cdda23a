"""Would a second, event level inside stories keep ECB+ look-alike events apart without
splitting one event's coverage? A measurement, not a feature (issue 9, part 4).

    python -m bench.events          # about 4 CPU minutes (6.5 wall on the loaded machine)

Each article is compared with each event already open in its group (a story newsfuse found,
or, as an upper bound, the gold ECB+ topic / the gold summarization cluster) and joins the
best one when the score reaches a threshold, else opens a new event: online, in input order,
as Story Forest (Liu et al. 2017) does inside its stories. The score is a logistic regression
over seven cues of the article against the event's members:

* ``body``, ``lead``: TF-IDF cosine (sub-linear, English stop words, fitted on the set) of the
  article's text and of its title + first 400 characters with the sum of the members';
* ``names``: the share of the article's entity-proxy names (newsfuse's fast path, title + first
  2,000 characters) that some member also names;
* ``year conflict`` / ``year shared``: the article's lead (400 characters) dates a year no
  member's lead names / names a year a member's lead names;
* ``weekday conflict``: both leads name weekdays and none is shared;
* ``numbers``: the share of the article's lead numbers (years aside) some member's lead has.

It is fitted on pairs replayed with the true events (teacher forcing): ECB+ train topics (the
article against each earlier event of its topic, same event or not) and the DUC 2002 +
Multi-News clusters (``tuning``; every pair the same story, so that the fit learns what must
not be split). Choose on ECB+ dev; ``duc2002`` and ``multinews`` give the B-cubed recall of
the event labels against the story gold (single events or nearly: a drop is over-splitting).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bench.clustering import SETS
from newsfuse.model import Article
from newsfuse.stories import assign_stories
from newsfuse.stories.core import _DATED_RE, _YEAR_RE, entities
from newsfuse.stories.metrics import bcubed

CUES = ("body", "lead", "names", "year conflict", "year shared", "weekday conflict", "numbers")
_WEEKDAY = re.compile(r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_LEAD = 400
_NAMES = 2000


@dataclass(frozen=True, slots=True)
class Lead:
    names: frozenset[str]
    years: frozenset[int]
    dated: frozenset[int]
    weekdays: frozenset[str]
    numbers: frozenset[str]


@dataclass(frozen=True, slots=True)
class Data:
    gold: list[str]
    topics: list[str]  # the ECB+ topic, else the gold story
    stories: list[int]  # what newsfuse's story level finds
    body: Any  # sparse TF-IDF rows
    lead: Any
    leads: list[Lead]


def load(name: str) -> Data:
    arts, gold = SETS[name]()
    texts = [f"{a.title or ''}\n{a.text}" for a in arts]
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(texts)
    topics = [g.split("_")[0] if name.startswith("ecb") else g for g in gold]
    return Data(
        gold,
        topics,
        list(assign_stories(arts)),
        tfidf.transform(texts),
        tfidf.transform([f"{a.title or ''}\n{a.text[:_LEAD]}" for a in arts]),
        [_lead(a) for a in arts],
    )


def _lead(a: Article) -> Lead:
    text = a.text[:_LEAD]
    numbers = {n.strip(".,") for n in _NUMBER.findall(text)}
    return Lead(
        frozenset(entities(f"{a.title or ''}.\n{a.text[:_NAMES]}")),
        frozenset(int(y) for y in _YEAR_RE.findall(text)),
        frozenset(int(y) for y in _DATED_RE.findall(text)),
        frozenset(w.lower() for w in _WEEKDAY.findall(text)),
        frozenset(n for n in numbers if not (len(n) == 4 and n[:2] in ("19", "20"))),
    )


def cues(d: Data, i: int, members: Sequence[int]) -> list[float]:
    """The seven cues of article ``i`` against the event made of ``members``."""
    a, ms = d.leads[i], [d.leads[m] for m in members]
    names = frozenset().union(*(m.names for m in ms))
    years = frozenset().union(*(m.years for m in ms))
    days = frozenset().union(*(m.weekdays for m in ms))
    numbers = frozenset().union(*(m.numbers for m in ms))
    return [
        _cosine(d.body, i, members),
        _cosine(d.lead, i, members),
        len(a.names & names) / (len(a.names) or 1),
        float(bool(a.dated and years) and not a.dated & years),
        float(bool(a.years & years)),
        float(bool(a.weekdays and days) and not a.weekdays & days),
        len(a.numbers & numbers) / (len(a.numbers) or 1),
    ]


def _cosine(x: Any, i: int, members: Sequence[int]) -> float:
    c = np.asarray(x[list(members)].sum(axis=0)).ravel()
    norm = float(np.linalg.norm(c))
    return float(x[i].toarray()[0] @ c) / norm if norm else 0.0


def replay_pairs(d: Data) -> tuple[list[list[float]], list[int]]:
    """Each article against each earlier gold event of its topic, and whether it is its own."""
    xs, ys = [], []
    events: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, (topic, gold) in enumerate(zip(d.topics, d.gold, strict=True)):
        for event, members in events[topic].items():
            xs.append(cues(d, i, members))
            ys.append(int(event == gold))
        events[topic][gold].append(i)
    return xs, ys


def online(
    d: Data, groups: Sequence[object], model: LogisticRegression, bar: float
) -> list[object]:
    """The (group, event) of each article: it joins the best-scoring event of its group when
    the score reaches ``bar``, else opens one."""
    events: dict[object, list[list[int]]] = defaultdict(list)
    out: list[object] = []
    for i, g in enumerate(groups):
        evs = events[g]
        scores = model.decision_function(np.array([cues(d, i, m) for m in evs])) if evs else []
        best = int(np.argmax(scores)) if len(scores) else -1
        if best < 0 or scores[best] < bar:
            evs.append([])
            best = len(evs) - 1
        evs[best].append(i)
        out.append((g, best))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bars", default="-1,-0.5,0,0.5,1")
    args = ap.parse_args(argv)
    data = {n: load(n) for n in ("ecbplus-train", "ecbplus-dev", "tuning")}
    xe, ye = replay_pairs(data["ecbplus-train"])
    xt, yt = replay_pairs(data["tuning"])
    model = LogisticRegression().fit(np.array(xe + xt), np.array(ye + yt))
    weights = ", ".join(f"{c} {w:.2f}" for c, w in zip(CUES, model.coef_[0], strict=True))
    print(f"weights: {weights}; intercept {model.intercept_[0]:.2f}\n")
    print(
        "| inside | bar | ECB+ train P / R / F1 | ECB+ dev P / R / F1 | tuning F1 | duc2002 R "
        "| multinews R |"
    )
    print("|---|---|---|---|---|---|---|")
    for inside in ("stories", "gold topics"):
        for bar in [-np.inf, *map(float, args.bars.split(","))]:
            print(_row(data, model, inside, bar), flush=True)
    return 0


def _row(data: dict[str, Data], model: LogisticRegression, inside: str, bar: float) -> str:
    cells = [inside, "none" if bar == -np.inf else f"{bar:g}"]
    for name, d in data.items():
        groups = d.stories if inside == "stories" else d.topics
        labels = online(d, groups, model, bar)
        s = bcubed(labels, d.gold)
        if name != "tuning":
            cells.append(f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}")
            continue
        cells.append(f"{s.f1:.3f}")
        for part in ("duc2002", "multinews-dev"):
            keep = [i for i, g in enumerate(d.gold) if g.startswith(part)]
            sub = bcubed([labels[i] for i in keep], [d.gold[i] for i in keep])
            cells.append(f"{sub.recall:.3f}")
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    sys.exit(main())
