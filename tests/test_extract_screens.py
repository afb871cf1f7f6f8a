"""The negotiation screens added for speed skip nothing the full patterns would find: on
every data-set sentence, the stems read per chunk are the stems read per word, and a
sentence the topic screen rejects has no topic match."""

from __future__ import annotations

from functools import reduce
from operator import or_
from pathlib import Path

from monitor.extract.sentences import split_sentences

DATA = Path(__file__).parent / "data"
SETS = [DATA / "extract", DATA / "extract-dev2", DATA / "extract-dev3", DATA / "articles", DATA / "wave"]


def _sentences():
    for folder in SETS:
        for path in sorted(folder.glob("*.txt")):
            yield from split_sentences(path.read_text(encoding="utf-8"))


def test_stems_read_per_chunk_are_the_stems_of_every_word() -> None:
    from monitor.extract.talks_gate import _SEP, _word_bits, stems

    checked = 0
    for s in _sentences():
        per_word = reduce(or_, map(_word_bits, s.folded.translate(_SEP).split()), 0)
        assert stems(s.folded) == per_word == stems(s.folded, s.chunks), s.text
        checked += 1
    assert checked > 1000


def test_a_sentence_the_topic_screen_rejects_names_no_topic() -> None:
    from monitor.extract.talks_gate import stems
    from monitor.extract.talks_topics import TOPIC_RES, possible

    rejected = 0
    for s in _sentences():
        if not possible(stems(s.folded)):
            rejected += 1
            assert not any(rx.search(s.folded) for _, rx in TOPIC_RES), s.text
    assert rejected > 500  # the screen does skip most sentences
