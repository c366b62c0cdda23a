from newsfuse import align
from newsfuse.model import Sentence
from newsfuse.text import TokenCache


def _sentences(*texts: str) -> list[Sentence]:
    return [Sentence(f"s{i}", 0, 0, len(t), t) for i, t in enumerate(texts)]


def test_indexes_build_each_list_of_sentences_once_and_as_index_does() -> None:
    sents = _sentences("The mayor opened the bridge.", "The bridge was opened by the mayor.")
    indexes = align.Indexes(TokenCache())
    first = indexes.of(sents)
    assert indexes.of(list(sents)) is first  # the same sentences: the same index
    direct = align.index(sents)
    assert (first.matrix != direct.matrix).nnz == 0
    assert first.single.tolist() == direct.single.tolist()
    other = indexes.of(sents[:1])
    assert other is not first and other.matrix.shape[0] == 1
