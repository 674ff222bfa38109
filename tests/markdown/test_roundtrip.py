"""Round trips: any model survives render → parse; a canonical document re-renders byte for byte."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings

from hansei.markdown import parse_markdown, render_markdown
from hansei.markdown.stated import drop_computed_figures
from hansei.model import Language, Postmortem
from tests.strategies import postmortems


def _assert_same(parsed: Postmortem, expected: Postmortem) -> None:
    # Compare dumps first for a readable diff, then the models themselves.
    assert parsed.model_dump() == expected.model_dump()
    assert parsed == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(postmortems())
def test_parse_of_render_gives_the_model_back(model: Postmortem) -> None:
    # A stated figure that reads exactly as the computed one is the same document as no
    # stated figure; such models have a canonical twin, which is what parsing returns.
    assume(drop_computed_figures(model) == model)
    text = render_markdown(model)
    _assert_same(parse_markdown(text).postmortem, model)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(postmortems())
def test_rendering_is_stable_in_both_languages(model: Postmortem) -> None:
    assume(drop_computed_figures(model) == model)
    for language in Language:
        text = render_markdown(model, language=language)
        again = parse_markdown(text).postmortem
        assert again.language == language
        assert render_markdown(again) == text
