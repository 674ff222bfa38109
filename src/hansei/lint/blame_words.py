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

# A person (a @handle, or a name with さん / 氏) as the subject of a mistake or the cause,
# within one sentence: 「鈴木さんが手順書を読まずに実行したことが原因」, 「@suzuki が誤って実行」.
# 「@sato が原因を特定した」, 「@mori が誤りを特定し」 (found the cause) are not blame.
JAPANESE_PERSON_AS_CAUSE = (
    r"(?:@[\w.-]+|[\w一-龥ぁ-んァ-ヶー]{1,8}(?:さん|氏|君|くん))\s*(?:が|の|は)[^。\n]{0,40}?"
    r"(?:(?:ミス|誤り?|間違い?)(?!り?を(?:特定|発見|修正|検出|見つけ))|せい|忘れ|見落と|怠|確認不足"
    r"|不注意|原因(?!を|の(?:特定|調査|究明|分析)))"
)
ENGLISH_PERSON_AS_CAUSE = (
    r"(?:because of|due to|caused by|blame)\s+@[\w.-]+|@[\w.-]+(?:'s)?\s+(?:mistake|error|fault)"
    r"|(?:@[\w.-]+|\b(?!The\b|This\b|It\b|That\b|Which\b|What\b|A\b|An\b)(?-i:[A-Z][a-z]+))"
    r"\s+caused\s+(?:the|this|an?)\s+(?:outage|incident|failure|downtime|error)"
)
