"""The words and phrasings of blame, as data (docs/lint/blame-language.md).

Blameless wording names what the system or the process allowed ("レビューで見落とされた",
"the process allowed …", "ヒューマンエラーを防ぐ仕組み"); these lists name a person or a
failing as the cause.
"""

from __future__ import annotations

JAPANESE_WORDS: tuple[str, ...] = (
    "のミス",
    "ミスした",
    "ミスで",
    "ミスにより",
    "不注意",
    "のせい",
    "怠慢",
    "怠った",
    "うっかり",
    "不手際",
    "気が緩",
    "確認を怠",
    "責任者のミス",
    "能力不足",
)

ENGLISH_WORDS: tuple[str, ...] = (
    "fault",
    "careless",
    "carelessness",
    "negligent",
    "negligence",
    "should have known",
    "should have caught",
    "should have noticed",
    "incompetent",
    "sloppy",
    "lazy",
    "blame",
    "screwed up",
    "dropped the ball",
)

# A person (a @handle, or a name with さん / 氏) as the grammatical cause.
JAPANESE_PERSON_AS_CAUSE = (
    r"(?:@[\w.-]+|[\w一-龥ぁ-んァ-ヶー]{1,8}(?:さん|氏|君|くん))\s*(?:が|の)"
    r"\s*(?:ミス|誤|間違|原因|せい|忘れ|見落と|怠)"
)
ENGLISH_PERSON_AS_CAUSE = (
    r"(?:because of|due to|caused by|blame)\s+@[\w.-]+|@[\w.-]+(?:'s)?\s+(?:mistake|error|fault)"
)
