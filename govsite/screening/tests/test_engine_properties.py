"""Property-based tests of the automaton (R-SCREEN-1): every occurrence of every term is found
at its offset, and text without terms yields nothing. No database: the engine is pure."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ..engine import Lexicon, Meaning

# A small alphabet, so that terms overlap, nest and repeat often.
TERM_CHARS = "赌博网站色情诽谤邪教内部资料秘密"
OTHER_CHARS = "各科室现将有关事项通知如下，。、的了和在"

terms_strategy = st.lists(
    st.text(alphabet=TERM_CHARS, min_size=1, max_size=5), min_size=1, max_size=15, unique=True
)
text_strategy = st.text(alphabet=TERM_CHARS + OTHER_CHARS, max_size=300)


def occurrences(terms, text):
    """Every (term, offset) the slow way."""
    return {
        (term, start)
        for term in terms
        for start in range(len(text))
        if text.startswith(term, start)
    }


def lexicon(terms, category="禁止内容"):
    return Lexicon([(term, Meaning(category, "测试")) for term in terms])


@settings(max_examples=300, deadline=None)
@given(terms=terms_strategy, text=text_strategy)
def test_scan_finds_every_occurrence_of_every_term_at_its_offset(terms, text):
    engine = lexicon(terms)
    found = {(engine.keys[index], start) for index, start, _ in engine.scan(text)}
    assert found == occurrences(terms, text)


@settings(max_examples=300, deadline=None)
@given(terms=terms_strategy, text=text_strategy)
def test_findings_cover_every_occurrence_and_report_only_real_ones(terms, text):
    """Findings collapse a match inside a longer one of the same category; each finding is
    real text at its offset, and every occurrence lies within some finding."""
    findings = lexicon(terms).findings("正文", text)
    for finding in findings:
        assert text[finding.offset : finding.offset + len(finding.matched)] == finding.matched
        assert finding.matched in terms
        before, matched, _ = finding.snippet_parts
        assert matched == finding.matched and text.find(before + matched) >= 0
    spans = [(f.offset, f.offset + len(f.matched)) for f in findings]
    for term, start in occurrences(terms, text):
        assert any(s <= start and start + len(term) <= e for s, e in spans)


@settings(max_examples=200, deadline=None)
@given(terms=terms_strategy, text=st.text(alphabet=OTHER_CHARS + "abc 123\n", max_size=300))
def test_text_without_terms_yields_no_finding(terms, text):
    assert lexicon(terms).findings("正文", text) == []


@settings(max_examples=200, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(
            st.text(alphabet=TERM_CHARS, min_size=1, max_size=3),
            st.text(alphabet=TERM_CHARS, min_size=1, max_size=5),
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda pair: pair[0],
    ),
    text=text_strategy,
)
def test_a_serious_error_is_never_reported_inside_its_right_form(pairs, text):
    pairs = [(wrong, right) for wrong, right in pairs if wrong != right]
    entries = []
    for wrong, right in pairs:
        entries.append((wrong, Meaning("严重错别字", "", suggestion=right)))
        entries.append((right, Meaning("严重错别字", "", excuses=True)))
    rights = {right for _, right in pairs}
    for finding in Lexicon(entries).findings("正文", text):
        start, end = finding.offset, finding.offset + len(finding.matched)
        assert not any(
            text.startswith(right, s) and s <= start and end <= s + len(right)
            for right in rights
            for s in range(max(0, end - len(right)), start + 1)
        )
