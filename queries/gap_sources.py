"""Where a gap's rule comes from (依据): a local policy, or 行政处罚法 articles with their text."""

from __future__ import annotations

from queries.gap_answer import GapSource
from queries.gap_scope import Policy, Scope

PUNISHMENT_LAW = "《中华人民共和国行政处罚法》"
# The articles the built-in checks rest on (provision ids as loaders.citations writes them).
ARTICLES = {
    "4": "行政处罚法#4",
    "24": "行政处罚法#24",
    "38": "行政处罚法#38",
    "42": "行政处罚法#42",
}
ARTICLE_NAMES = {"4": "第四条", "24": "第二十四条", "38": "第三十八条", "42": "第四十二条"}


def policy_source(policy: Policy) -> GapSource:
    return GapSource(
        policy_id=policy.id, document=policy.source_document, quote=policy.source_quote
    )


def law_source(scope: Scope, *articles: str) -> GapSource:
    ids = [ARTICLES[a] for a in articles]
    texts = {
        r["provisionId"]: r["text"]
        for r in scope.read("law_texts", provisionIds=list(ARTICLES.values()))
    }
    for article, provision_id in zip(articles, ids, strict=True):
        if texts.get(provision_id) is None:
            scope.unknowns.append(
                f"{PUNISHMENT_LAW}{ARTICLE_NAMES[article]}: 条文未载入, 依据只列条号"
            )
    quotes = [texts[p] for p in ids if texts.get(p)]
    return GapSource(
        document=PUNISHMENT_LAW + "、".join(ARTICLE_NAMES[a] for a in articles),
        quote="\n".join(quotes) or None,
        provision_ids=ids,
    )
