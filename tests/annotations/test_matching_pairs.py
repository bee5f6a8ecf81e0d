"""Matching on small synthetic pairs: public behaviour only (what is proposed, and which of two
pairs scores higher), not exact candidates on the team's tuned corpora."""
import pytest

from annotations.evaluation import detect_in_texts


def best_score(a: str, b: str) -> float:
    """The highest score detection gives two one-sentence documents (0 when it proposes nothing)."""
    return max((c.score for c in detect_in_texts({"a": a, "b": b})), default=0.0)


@pytest.mark.parametrize(("claim", "contradiction", "unrelated"), [
    ("The storm killed 41 people in the valley on Monday.",
     "The storm killed 87 people in the valley on Monday.",
     "The new library in the valley holds 87 rare maps."),
    ("The Brenn bridge opened to traffic in March 2004.",
     "The Brenn bridge opened to traffic in May 2006.",
     "The harbour school closed its doors in May 2006."),
    ("The dam cost $120 million, the ministry said.",
     "The dam cost $310 million, the ministry said.",
     "The ministry fined the football club $310 million."),
])
def test_a_same_property_contradiction_scores_above_an_unrelated_pair(claim, contradiction, unrelated):
    same, other = best_score(claim, contradiction), best_score(claim, unrelated)
    assert same > 0.5 and same > other, (same, other)


def test_values_that_agree_are_not_proposed():
    assert detect_in_texts({"a": "The storm killed 41 people in the valley on Monday.",
                            "b": "On Monday the storm killed 41 people in the valley."}) == []
