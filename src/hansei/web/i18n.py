"""The web app's own words in Japanese and English, and which language a request gets."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("ja", "en")
LANGUAGE_COOKIE = "hansei_lang"

_WORDS: dict[str, tuple[str, str]] = {
    # key: (ja, en)
    "app_name": ("hansei", "hansei"),
    "postmortems": ("ポストモーテム一覧", "Postmortems"),
    "action_items": ("アクションアイテム", "Action items"),
    "new_postmortem": ("新規作成", "New postmortem"),
    "account": ("アカウント", "Account"),
    "log_in": ("ログイン", "Log in"),
    "log_out": ("ログアウト", "Log out"),
    "user_name": ("ユーザー名", "User name"),
    "password": ("パスワード", "Password"),
    "login_failed": ("ユーザー名またはパスワードが違います", "Wrong user name or password"),
    "login_limited": (
        "ログインの失敗が続いたため、{seconds} 秒後に再度お試しください",
        "Too many failed attempts: try again in {seconds} seconds",
    ),
    "search": ("検索", "Search"),
    "search_placeholder": ("キーワード（例: 障害 DB）", "Words to find (e.g. timeout DB)"),
    "service": ("サービス", "Service"),
    "severity": ("影響度", "Severity"),
    "status": ("ステータス", "Status"),
    "sort": ("並び順", "Sort"),
    "any": ("すべて", "Any"),
    "apply": ("絞り込む", "Apply"),
    "sort_newest": ("新しい順", "Newest first"),
    "sort_oldest": ("古い順", "Oldest first"),
    "sort_title": ("タイトル順", "By title"),
    "sort_severity": ("影響度順", "By severity"),
    "sort_downtime": ("ダウンタイムが長い順", "Longest downtime"),
    "sort_updated": ("更新順", "Recently updated"),
    "sort_waiting": ("待ちの長い順", "Longest waiting"),
    "title": ("タイトル", "Title"),
    "detected": ("検知", "Detected"),
    "downtime": ("ダウンタイム", "Downtime"),
    "author": ("著者", "Author"),
    "reviewer": ("レビュアー", "Reviewer"),
    "found": ("{total} 件", "{total} found"),
    "found_more": ("{total} 件超", "More than {total} found"),
    "items_range": ("{first}〜{last} 件目", "Items {first}-{last}"),
    "nothing_found": ("見つかりませんでした", "Nothing found"),
    "previous": ("前へ", "Previous"),
    "next": ("次へ", "Next"),
    "edit": ("編集", "Edit"),
    "history": ("履歴", "History"),
    "export_markdown": ("Markdown をダウンロード", "Download Markdown"),
    "findings": ("指摘", "Findings"),
    "no_findings": ("指摘はありません", "No findings"),
    "computed_note": (
        "ハイライトされた数値は時刻から計算されています",
        "Highlighted figures are computed from the times",
    ),
    "revision": ("リビジョン", "Revision"),
    "saved_by": ("{who} が {when} に保存", "saved by {who} at {when}"),
    "save": ("保存", "Save"),
    "cancel": ("キャンセル", "Cancel"),
    "add_row": ("行を追加", "Add row"),
    "remove_row": ("削除", "Remove"),
    "move_up": ("上へ", "Move up"),
    "move_down": ("下へ", "Move down"),
    "metrics": ("メトリクス", "Metrics"),
    "metrics_live": ("時刻を変えると再計算されます", "Recomputed as you change the times"),
    "conflict": (
        "このポストモーテムは編集中に更新されました（リビジョン {current}）。"
        "あなたの版はリビジョン {kept} として保存されています。"
        "下は現在の版です。差分を見て、必要な変更をもう一度加えてください。",
        "Someone saved this postmortem while you edited it (revision {current}). "
        "Your version is kept as revision {kept}. Below is the current version: "
        "compare, then make your changes again.",
    ),
    "compare": ("差分を見る", "Compare"),
    "restore": ("この版に戻す", "Restore this revision"),
    "current": ("現在", "current"),
    "kind": ("種類", "Kind"),
    "when": ("日時", "When"),
    "who": ("誰が", "Who"),
    "note": ("メモ", "Note"),
    "diff_between": ("リビジョン {old} → {new} の差分", "Changes from revision {old} to {new}"),
    "no_difference": ("差分はありません", "No difference"),
    "mine": ("自分の担当", "Mine"),
    "overdue": ("期限切れ", "Overdue"),
    "horizon": ("期間", "Horizon"),
    "owner": ("担当者", "Owner"),
    "group_by": ("まとめ方", "Group by"),
    "due": ("期限", "Due"),
    "task": ("タスク", "Task"),
    "issue": ("イシュー", "Issue"),
    "postmortem": ("ポストモーテム", "Postmortem"),
    # As the template names them (markdown/vocabulary.py).
    "immediate": ("即座対応（1週間以内）", "Immediate (within 1 week)"),
    "short_term": ("短期対応（1ヶ月以内）", "Short-term (within 1 month)"),
    "long_term": ("長期対応（3ヶ月以内）", "Long-term (within 3 months)"),
    "todo": ("未着手", "To do"),
    "in_progress": ("進行中", "In progress"),
    "done": ("完了", "Done"),
    "draft": ("ドラフト", "Draft"),
    "review": ("レビュー中", "In review"),
    "final": ("最終版", "Final"),
    "critical": ("Critical", "Critical"),
    "high": ("High", "High"),
    "medium": ("Medium", "Medium"),
    "low": ("Low", "Low"),
    "language": ("表示言語", "Language"),
    "role": ("ロール", "Role"),
    "api_tokens": ("API トークン", "API tokens"),
    "token_label": ("用途", "What it is for"),
    "create_token": ("トークンを発行", "Create token"),
    "token_shown_once": (
        "このトークンは今だけ表示されます。安全な場所に保存してください。",
        "This token is shown only now: keep it somewhere safe.",
    ),
    "revoke": ("無効化", "Revoke"),
    "revoked": ("無効", "revoked"),
    "created": ("作成", "Created"),
    "not_allowed": ("この操作の権限がありません", "Your role does not allow this"),
    "not_found": ("見つかりません", "Not found"),
    "error": ("エラー", "Error"),
    "form_expired": (
        "フォームの有効期限が切れました。もう一度お試しください",
        "The form expired: please try again",
    ),
    "skip_to_content": ("本文へスキップ", "Skip to content"),
    "overdue_badge": ("期限切れ", "overdue"),
    "outside_horizon": ("期間外の期限", "due outside its horizon"),
    "field_errors": ("入力を確認してください", "Please check these fields"),
    "new_from_template": ("テンプレートから作成", "New from the template"),
    "basics": ("基本情報", "Basics"),
    "times": ("発生日時", "Times"),
    "impact": ("影響範囲", "Impact"),
    "slo": ("SLO", "SLO"),
    "timeline": ("タイムライン", "Timeline"),
    "rca": ("根本原因分析（RCA）", "Root cause analysis"),
    "response": ("対応内容", "Response"),
    "retrospective": ("振り返り", "Retrospective"),
    "prevention": ("再発防止策", "Prevention"),
    "links": ("関連ドキュメント", "Related documents"),
    "business_impact": ("ビジネスへの影響", "Business impact"),
    "reviews": ("レビュー履歴", "Review history"),
    "appendix": ("付録", "Appendix"),
    "one_per_line": ("1 行に 1 項目", "One item per line"),
    "steps_hint": (
        "1 行に 1 手順。詳細は行頭に「- 」を付けて次の行に",
        "One step per line; details on the lines below, starting with '- '",
    ),
    "links_hint": ("1 行に 1 件: タイトル | URL", "One per line: title | URL"),
    "f_date": ("日付", "Date"),
    "f_reviewers": ("レビュアー", "Reviewers"),
    "f_language": ("文書の言語", "Document language"),
    "f_timezone": ("タイムゾーン", "Timezone"),
    "f_summary": ("概要（2-3文で簡潔に）", "Summary (two or three sentences)"),
    "f_occurred": ("発生", "Occurred"),
    "f_detected": ("検知", "Detected"),
    "f_response_started": ("対応開始", "Response started"),
    "f_mitigated": ("部分復旧", "Mitigated"),
    "f_recovered": ("復旧", "Recovered"),
    "f_resolved": ("完全解決", "Resolved"),
    "f_times_hint": (
        "空欄の時刻はタイムラインから読み取ります",
        "Times left empty are taken from the timeline",
    ),
    "f_users_affected": ("影響を受けたユーザー数", "Users affected"),
    "f_data_loss": ("データ損失", "Data loss"),
    "f_slo_target": ("SLO 目標（%）", "SLO target (%)"),
    "f_slo_window": ("SLO ウィンドウ（日）", "SLO window (days)"),
    "f_event": ("イベント", "Event"),
    "f_actor": ("担当者", "Actor"),
    "f_action": ("アクション", "Action"),
    "f_direct_causes": ("直接の原因", "Direct causes"),
    "f_analysis": ("深掘り分析", "Analysis"),
    "f_root_causes": ("根本原因", "Root causes"),
    "f_mitigation": ("即座の対応（Mitigation）", "Mitigation"),
    "f_resolution": ("根本的な修正（Resolution）", "Resolution"),
    "f_went_well": ("うまくいったこと（Good）", "What went well"),
    "f_went_wrong": ("改善が必要なこと（Bad）", "What went wrong"),
    "f_learned": ("学んだこと（Learned）", "What we learned"),
    "f_process": ("プロセス改善", "Process"),
    "f_technical": ("技術的改善", "Technical"),
    "f_failed_requests": ("失敗リクエスト数", "Failed requests"),
    "f_estimated_loss": ("推定損失", "Estimated loss"),
    "f_references": ("参考資料", "References"),
    "f_logs": ("ログ", "Log"),
    "f_kept_sections": ("その他のセクション", "Other sections"),
    "f_text": ("本文", "Text"),
    "yes": ("あり", "Yes"),
    "no": ("なし", "No"),
    "f_stated": ("手で書かれた数値", "Figures typed by hand"),
    "f_stated_hint": (
        "時刻から計算した値と食い違う数値です。消すと hansei が計算した値を表示します",
        "They disagree with what the times give: clear them to show hansei's figures",
    ),
    "ja": ("日本語", "Japanese"),
    "en": ("英語", "English"),
    "save_kind": ("保存", "save"),
    "import_kind": ("取り込み", "import"),
    "issue_kind": ("イシュー作成", "issue"),
    "restore_kind": ("復元", "restore"),
    "conflict_kind": ("競合", "conflict"),
    "reviews_by_steps": (
        "レビュー履歴はレビューの操作（依頼・承認・修正依頼・再オープン）が書き込みます",
        "The review steps (request, approve, request changes, reopen) write this history",
    ),
    "review_steps": ("レビュー", "Review"),
    "request_review": ("レビューを依頼", "Request review"),
    "approve": ("承認して最終版にする", "Approve: make it Final"),
    "request_changes": ("修正を依頼", "Request changes"),
    "reopen": ("再オープン", "Reopen"),
    "comment": ("コメント", "Comment"),
    "reason": ("理由", "Reason"),
    "waiting_for_review": ("自分のレビュー待ち", "Waiting for my review"),
    "waiting_all": ("すべて表示", "Show all"),
    "status_is": ("ステータス: {status}", "Status: {status}"),
    "review_kind": ("レビュー", "review"),
    "approved": ("承認", "Approved"),
    "changes_requested": ("修正依頼", "Changes requested"),
    "placeholders_left": ("未記入の項目: {count}", "Fields still to fill in: {count}"),
}


def words(language: str) -> Callable[..., str]:
    """`t(key, **values)` for templates: the word in `language`, values filled in."""
    column = 0 if language == "ja" else 1

    def translate(key: str, **values: object) -> str:
        text = _WORDS[key][column]
        return text.format(**values) if values else text

    return translate


def has_word(key: str) -> bool:
    return key in _WORDS


def choose_language(
    *, chosen: str | None, cookie: str | None, accept_language: str | None, default: str
) -> str:
    """The user's choice, else the browser's first known language, else the team's default."""
    for candidate in (chosen, cookie):
        if candidate in LANGUAGES:
            assert candidate is not None
            return candidate
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return default
