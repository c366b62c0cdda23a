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


def test_a_higher_floor_is_read_off_the_similarities_kept_at_a_lower_one() -> None:
    sents = _sentences(
        "The council voted to close the old bridge on Monday.",
        "The council voted on Monday to close the bridge.",
        "The old bridge was closed after the council voted.",
        "Rain is expected across the north on Sunday.",
    )
    indexes = align.Indexes(TokenCache())
    low = indexes.similarity(sents, 0.2)
    high = indexes.similarity(sents, 0.5)
    direct = align.index(sents).similarity(0.5)
    assert low.nnz > high.nnz  # some pairs lie between the floors
    assert high.indptr.tolist() == direct.indptr.tolist()
    assert high.indices.tolist() == direct.indices.tolist()
    assert high.data.tolist() == direct.data.tolist()
    assert indexes.similarity(sents, 0.2).nnz == low.nnz  # the kept matrix is left as it was
