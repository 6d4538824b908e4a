"""Complaint routing (投诉分拨): which items a complaint may concern, and who enforces each there.

Street teams, command centres and the 司法局 ask in the words of a complaint, not in item codes:
"有人在海滨街道路边占道摆摊卖水果". The complaint is cut into query terms (Han bigrams, as the `cjk`
analyzer cuts the indexed text, and Latin words), searched in item names and provision text
(route_candidates.cypher), ranked, and each candidate is answered by the authority rules through
`queries.authority.authority` — never re-implemented here. Several candidates of similar score
are all shown and the answer says it is ambiguous and why; it never picks one silently.

The answer carries no officers: the enforcement subject is a street or a department.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field

from queries.answers import Answer, Sheet, record_natives
from queries.authority import OUTCOME_LABELS, AuthorityAnswer, StreetRef, authority
from queries.cypher_files import cypher
from queries.lookups import QueryInputError
from queries.search import lucene_phrase

ROUTE_CANDIDATES = cypher("route_candidates")
# Everyday words read as statutory ones (渣土 → 建筑垃圾): data, with why each reading holds.
COMPLAINT_WORDS_FILE = Path(__file__).with_name("complaint_words.yaml")

MAX_COMPLAINT_CHARS = 200  # a complaint is a sentence or two, not a case file
MAX_TERMS = 64  # distinct query terms sent to Lucene (its clause limit is 1024)
DEFAULT_CANDIDATES = 5
MAX_CANDIDATES = 20  # each candidate costs one authority read
# A provision's words say less about the complaint than the item's own name: a hit in the text
# of the article an item cites counts half as much as the same hit in the item's name.
PROVISION_WEIGHT = 0.5
# Candidates scoring at least this share of the best are "of similar score": all are shown and
# the answer is ambiguous (the words do not tell them apart).
SIMILAR_SCORE = 0.75
# Words that carry no behaviour: a run of Han characters is cut at them before its bigrams are
# taken (有人在路边摆摊 → 有人, 路边摆摊), so no term straddles one.
_STOP_CHARS = frozenset("的了着过呢吗吧啊呀哦嘛么我你他她它们这那很就都也还又把被给让在是和与及或")
_HAN_SCRIPTS = (
    "CJK UNIFIED IDEOGRAPH",
    "CJK COMPATIBILITY IDEOGRAPH",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL SYLLABLE",
)
_SNIPPET_CONTEXT = 16

RouteOutcome = Literal["routed", "ambiguous", "no_match", "not_found"]
ROUTE_OUTCOME_LABELS = {
    "routed": "已分拨",
    "ambiguous": "有歧义",
    "no_match": "未匹配",
    "not_found": "未找到",
}


class ProvisionMatch(BaseModel):
    """A provision (条款) the item cites whose text holds some of the complaint's words."""

    id: str = Field(description="Provision id (条款编号), e.g. 固体废物污染环境防治法#111.1.1")
    document_title: str | None = Field(default=None, description="The law's title (法律文件)")
    article: int | None = Field(default=None, description="Article (条)")
    paragraph: int | None = Field(default=None, description="Paragraph (款)")
    item: int | None = Field(default=None, description="Item (项)")
    score: float = Field(description="Full-text score of this provision (相关度)")
    matched: list[str] = Field(description="The complaint's words found in the text (命中词)")
    snippet: str | None = Field(default=None, description="The words in context (摘要)")


class Reading(BaseModel):
    """An everyday word of the complaint read as the statutory words searched too (读作)."""

    said: str = Field(description="The everyday word found in the complaint (投诉用语)")
    means: list[str] = Field(description="The statutory words searched for it (规范用语)")
    why: str = Field(description="Why the reading holds (理由); see complaint_words.yaml")


class RouteCandidate(BaseModel):
    """One item the complaint may concern (候选事项), why it matched, and who enforces it."""

    rank: int = Field(description="Place in the ranking, 1 = best (排名)")
    code: str = Field(description="Item code (事项编码)")
    name: str = Field(description="Item name (事项名称)")
    type: str | None = Field(default=None, description="Item type (事项类型)")
    domain: str | None = Field(default=None, description="Enforcement domain (执法领域)")
    score: float = Field(
        description="Name score plus half the best provision score (综合相关度); ranks candidates"
    )
    name_score: float = Field(description="Full-text score of the item's name (名称相关度)")
    provision_score: float = Field(description="Best full-text score of a cited provision")
    matched_in_name: list[str] = Field(
        description="The complaint's words found in the item's name (名称命中词)"
    )
    provisions: list[ProvisionMatch] = Field(
        description="Up to 3 cited provisions whose text holds the complaint's words"
    )
    why: str = Field(description="Why it matched, in words (匹配理由)")
    authority: AuthorityAnswer = Field(
        description="Who enforces this item in the street on the day, by the authority rules "
        "(执法主体), with the evidence"
    )


class RouteAnswer(Answer):
    """A complaint routed (投诉分拨): candidate items, ranked, each with its enforcement subject."""

    outcome: RouteOutcome = Field(
        description="routed: one candidate stands out; ambiguous: several of similar score (all "
        "shown, none picked); no_match: no item's name or cited text holds the words; "
        "not_found: no such street"
    )
    as_of: date = Field(description="The day asked about (查询日期)")
    street: StreetRef | None = Field(default=None, description="The street asked about")
    streets: list[StreetRef] = Field(
        default_factory=list, description="Every street the words name, when not exactly one"
    )
    terms: list[str] = Field(description="The query terms taken from the complaint (检索词)")
    readings: list[Reading] = Field(
        default_factory=list,
        description="Everyday words read as statutory ones, whose words were searched too (读作)",
    )
    total: int = Field(description="Items of the street's county that match (匹配事项数)")
    candidates: list[RouteCandidate] = Field(description="The best candidates, best first")
    ambiguous: bool = Field(description="Several candidates of similar score (有歧义)")
    explanation: str = Field(description="The answer in words, ambiguity and its cause included")
    notes: list[str] = Field(default_factory=list, description="What to look at (提示)")

    def sheets(self) -> list[Sheet]:
        street = f"{self.street.name}({self.street.code})" if self.street else None
        summary = Sheet(
            title="分拨结论",
            columns=["街道", "日期", "结论", "检索词", "说明"],
            rows=[
                [
                    street,
                    self.as_of,
                    ROUTE_OUTCOME_LABELS[self.outcome],
                    " ".join(self.terms),
                    self.explanation,
                ]
            ],
        )
        candidates = Sheet(
            title="候选事项",
            columns=["排名", "事项", "相关度", "匹配理由", "认定结论", "执法主体", "适用规则"],
            rows=[
                [
                    c.rank,
                    f"{c.name}({c.code})",
                    c.score,
                    c.why,
                    OUTCOME_LABELS[c.authority.outcome],
                    _subject_label(c.authority),
                    c.authority.rule.title if c.authority.rule else None,
                ]
                for c in self.candidates
            ],
        )
        evidence = Sheet(
            title="认定依据",
            columns=["事项编码", "执法主体说明", "命中条文", "摘要"],
            rows=[
                [
                    c.code,
                    c.authority.explanation,
                    "; ".join(_cite(p) for p in c.provisions) or None,
                    " / ".join(p.snippet for p in c.provisions if p.snippet) or None,
                ]
                for c in self.candidates
            ],
        )
        return [summary, candidates, evidence]


# -- the complaint as query terms -------------------------------------------------------------


def complaint_terms(text: str, *, place: str | None = None) -> list[str]:
    """The complaint's query terms: overlapping bigrams of each Han run (cut at stop characters,
    as the index holds bigrams), and Latin or digit words of two characters or more, lower-cased.

    Traditional characters are read as simplified (路邊擺攤 → 路边摆摊: the catalogs and law texts
    are simplified). The place's own name is taken out first (the street is asked separately; 海滨 is no
    behaviour). A lone Han character between stop characters is dropped: alone it matches far
    too much. Distinct terms in order of appearance, at most MAX_TERMS.
    """
    words = _simplified(unicodedata.normalize("NFKC", text))
    if place:
        words = words.replace(_simplified(unicodedata.normalize("NFKC", place)), " ")
    terms: list[str] = []
    for run in _runs(words):
        if _is_han(run[0]):
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
        elif len(run) >= 2:
            terms.append(run.lower())
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def complaint_query(terms: list[str]) -> str | None:
    """The terms as one Lucene query: each a quoted phrase (operators inside are plain text), any
    of them may match (OR); None for no terms."""
    return " OR ".join(lucene_phrase(term) for term in terms) or None


def check_complaint(text: str) -> str:
    """The complaint, stripped; refused with a sentence when blank or too long to be one."""
    words = (text or "").strip()
    if not words:
        raise QueryInputError("give the complaint's words (投诉内容), e.g. 有人在路边占道摆摊")
    if len(words) > MAX_COMPLAINT_CHARS:
        raise QueryInputError(
            f"the complaint has {len(words)} characters; give at most {MAX_COMPLAINT_CHARS}: "
            "the sentence that says what happened (违法行为), not the whole record"
        )
    return words


@cache
def _t2s() -> Any:
    import opencc  # loaded on the first complaint, not at import

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    return str(_t2s().convert(text))


def _runs(words: str) -> list[str]:
    """Runs of Han characters (cut at stop characters) and runs of letters or digits."""
    runs: list[str] = []
    current = ""
    for ch in words:
        if _is_han(ch):
            kind = "" if ch in _STOP_CHARS else "han"
        else:
            kind = "word" if ch.isalnum() else ""
        if not kind or not current or kind != ("han" if _is_han(current[0]) else "word"):
            if current:
                runs.append(current)
            current = ch if kind else ""
        else:
            current += ch
    if current:
        runs.append(current)
    return runs


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(_HAN_SCRIPTS)


# -- the question -----------------------------------------------------------------------------


@unit_of_work(metadata={"query": "route"})
def route(
    tx: ManagedTransaction,
    *,
    complaint: str,
    street: str,
    as_of: date,
    limit: int = DEFAULT_CANDIDATES,
) -> RouteAnswer:
    """The items a complaint in `street` may concern on `as_of`, best first, each with its
    enforcement subject by the authority rules; ambiguity is stated, never resolved."""
    words = check_complaint(complaint)
    if not 1 <= limit <= MAX_CANDIDATES:
        raise QueryInputError(f"limit {limit}: ask for 1 to {MAX_CANDIDATES} candidates")
    if not (street or "").strip():
        raise QueryInputError("give the street or town (街道/乡镇) by code or exact name")
    terms, readings = search_terms(words, place=street.strip())
    if not terms:
        raise QueryInputError(
            "the complaint holds no words to search for (two Han characters or a Latin word); "
            "say what happened, e.g. 占道摆摊, 乱倒垃圾"
        )
    found = search_candidates(tx, terms, street.strip(), limit)
    streets = [_street_ref(row) for row in found["streets"]]
    if len(streets) != 1:
        return _street_problem(street, streets, terms, as_of)
    named, readings = search_terms(words, place=streets[0].name)
    if named != terms and named:  # the street was given by code and its name is in the words
        terms = named
        found = search_candidates(tx, terms, street.strip(), limit)
    place = streets[0]
    candidates = [
        _candidate(
            rank,
            row,
            terms,
            authority(tx, item=row["code"], street=place.code, as_of=as_of),
        )
        for rank, row in enumerate(found["candidates"], start=1)
    ]
    answer = _answer(place, as_of, terms, found["total"], found["similar"], candidates)
    read_as = [
        f"「{r.said}」按规范用语读作「{'」「'.join(r.means)}」一并检索({r.why})" for r in readings
    ]
    return answer.model_copy(update={"readings": readings, "notes": answer.notes + read_as})


def search_terms(words: str, *, place: str | None = None) -> tuple[list[str], list[Reading]]:
    """The terms searched for a complaint: its own bigrams, then the statutory words of each
    everyday word it holds (each one phrase), at most MAX_TERMS; and those readings."""
    terms = complaint_terms(words, place=place)
    readings = everyday_readings(words)
    extra = list(dict.fromkeys(word for r in readings for word in r.means if word not in terms))
    # Room is kept for the statutory words: a long complaint's last bigrams give way to them, so
    # a reading the answer reports was searched.
    return terms[: MAX_TERMS - len(extra)] + extra, readings


def everyday_readings(words: str) -> list[Reading]:
    """The everyday words of complaint_words.yaml found in the complaint, first found first."""
    text = _simplified(unicodedata.normalize("NFKC", words))
    found = [
        (text.index(said), Reading(said=said, means=entry["means"], why=entry["why"]))
        for entry in _complaint_words()
        for said in entry["said"]
        if said in text
    ]
    readings: dict[tuple[str, ...], Reading] = {}
    for _, reading in sorted(found, key=lambda pair: pair[0]):
        readings.setdefault(tuple(reading.means), reading)  # one reading per statutory word set
    return list(readings.values())


@cache
def _complaint_words() -> list[dict[str, Any]]:
    entries = yaml.safe_load(COMPLAINT_WORDS_FILE.read_text(encoding="utf-8"))["readings"]
    for entry in entries:
        if not (entry.get("said") and entry.get("means") and entry.get("why")):
            raise ValueError(f"{COMPLAINT_WORDS_FILE.name}: an entry lacks said, means or why")
    return entries


def search_candidates(
    tx: ManagedTransaction, terms: list[str], street: str, limit: int
) -> dict[str, Any]:
    """route_candidates.cypher's row for these terms (the search read alone, no authority)."""
    record = tx.run(
        ROUTE_CANDIDATES,
        lucene=complaint_query(terms),
        street=street,
        limit=limit,
        maxShown=MAX_CANDIDATES,
        provisionWeight=PROVISION_WEIGHT,
        similarShare=SIMILAR_SCORE,
    ).single(strict=True)
    return record_natives(record)


# -- the answer -------------------------------------------------------------------------------


def _answer(
    place: StreetRef,
    as_of: date,
    terms: list[str],
    total: int,
    similar_total: int,
    candidates: list[RouteCandidate],
) -> RouteAnswer:
    common = {"as_of": as_of, "street": place, "terms": terms, "total": total}
    if not candidates:
        return RouteAnswer(
            outcome="no_match",
            candidates=[],
            ambiguous=False,
            explanation=(
                f"{place.name}所在的{place.region_name or '辖区'}没有名称或所引条文含有这些词"
                f"({'、'.join(terms)})的执法事项;请换用违法行为的说法(如 占道经营、倾倒垃圾)"
                "或按事项编码查询"
            ),
            **common,
        )
    best = candidates[0]
    similar = [c for c in candidates if c.score >= SIMILAR_SCORE * best.score]
    notes = (
        [f"另有{total - len(candidates)}项匹配的事项未列出(只列前{len(candidates)}项)"]
        if total > len(candidates)
        else []
    )
    if similar_total > len(similar):  # more of similar score than MAX_CANDIDATES: said, not hidden
        notes.insert(
            0, f"相关度相近的事项共{similar_total}项,只列出前{len(similar)}项;请用更具体的说法"
        )
    if similar_total > 1:
        return RouteAnswer(
            outcome="ambiguous",
            candidates=candidates,
            ambiguous=True,
            explanation=_ambiguity(similar, best, similar_total),
            notes=notes,
            **common,
        )
    return RouteAnswer(
        outcome="routed",
        candidates=candidates,
        ambiguous=False,
        explanation=(
            f"投诉最可能涉及「{best.name}」({best.code}),{best.why};"
            f"{as_of}在{place.name}:{best.authority.explanation}"
        ),
        notes=notes,
        **common,
    )


def _ambiguity(similar: list[RouteCandidate], best: RouteCandidate, count: int) -> str:
    listed = ";".join(f"「{c.name}」({c.code},相关度{c.score:.2f},{c.why})" for c in similar)
    subjects = {_subject_label(c.authority) for c in similar}
    text = (
        f"有歧义:{count}项事项相关度相近(均不低于最高分{best.score:.2f}的"
        f"{SIMILAR_SCORE:.0%}),投诉的文字不足以区分:{listed}。"
    )
    if len(subjects) > 1:
        text += (
            f"它们的执法主体不同({'、'.join(sorted(s or '无法认定' for s in subjects))}),"
            "请先核实违法行为属于哪一事项再分拨。"
        )
    else:
        text += f"它们的执法主体相同({subjects.pop() or '无法认定'}),但仍请核实所涉事项。"
    return text


def _street_problem(
    words: str, streets: list[StreetRef], terms: list[str], as_of: date
) -> RouteAnswer:
    if not streets:
        explanation = f"没有编码或名称为「{words}」的街道/乡镇"
    else:
        where = "、".join(f"{s.name}({s.code},{s.region_name or '?'})" for s in streets)
        explanation = f"「{words}」对应多个街道/乡镇:{where};请用编码"
    return RouteAnswer(
        outcome="not_found" if not streets else "ambiguous",
        as_of=as_of,
        streets=streets,
        terms=terms,
        total=0,
        candidates=[],
        ambiguous=bool(streets),
        explanation=explanation,
    )


def _candidate(
    rank: int, row: dict[str, Any], terms: list[str], answer: AuthorityAnswer
) -> RouteCandidate:
    in_name = matched_words(terms, row["name"])
    provisions = [_provision(p, terms) for p in row["provisions"] or []]
    reasons = []
    if in_name:
        reasons.append(f"名称含「{'」「'.join(in_name)}」")
    for p in provisions:
        if p.matched:
            reasons.append(f"所引{_cite(p)}含「{'」「'.join(p.matched)}」")
    return RouteCandidate(
        rank=rank,
        code=row["code"],
        name=row["name"],
        type=row.get("type"),
        domain=row.get("domain"),
        score=round(row["score"], 3),
        name_score=round(row["nameScore"], 3),
        provision_score=round(row["provisionScore"], 3),
        matched_in_name=in_name,
        provisions=provisions,
        why=",".join(reasons) or "全文检索命中",
        authority=answer,
    )


def matched_words(terms: list[str], text: str | None) -> list[str]:
    """The complaint's words found in `text`: consecutive matching bigrams joined back into the
    longest words they spell (倾倒 生活 活垃 垃圾 in 焚烧生活垃圾 → 倾倒, 生活垃圾)."""
    if not text:
        return []
    haystack = unicodedata.normalize("NFKC", text).lower()
    found: list[str] = []
    for term in terms:
        if term not in haystack:
            continue
        if found and found[-1][-1] == term[0] and found[-1] + term[1:] in haystack:
            found[-1] += term[1:]
        else:
            found.append(term)
    words = list(dict.fromkeys(found))
    return [w for w in words if not any(w != other and w in other for other in words)]


def _provision(row: dict[str, Any], terms: list[str]) -> ProvisionMatch:
    matched = matched_words(terms, row.get("text"))
    return ProvisionMatch(
        id=row["id"],
        document_title=row.get("documentTitle"),
        article=row.get("article"),
        paragraph=row.get("paragraph"),
        item=row.get("item"),
        score=round(row["score"], 3),
        matched=matched,
        snippet=_snippet(row.get("text"), matched[0] if matched else ""),
    )


def _snippet(text: str | None, word: str) -> str | None:
    if not text:
        return None
    line = " ".join(text.split())
    at = line.find(word) if word else -1
    start = max(0, at - _SNIPPET_CONTEXT) if at >= 0 else 0
    end = min(len(line), (at + len(word) if at >= 0 else 0) + 2 * _SNIPPET_CONTEXT)
    return ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")


def _cite(p: ProvisionMatch) -> str:
    where = f"第{p.article}条" if p.article else ""
    where += f"第{p.paragraph}款" if p.paragraph else ""
    where += f"第{p.item}项" if p.item else ""
    return f"《{p.document_title or p.id.split('#')[0]}》{where}"


def _subject_label(answer: AuthorityAnswer) -> str | None:
    if answer.subject is not None:
        return answer.subject.name
    if answer.candidates:
        return "、".join(c.name for c in answer.candidates) + "(冲突)"
    return None


def _street_ref(row: dict[str, Any]) -> StreetRef:
    fields = {k: v for k, v in row.items() if k != "regionName"}
    return StreetRef(**fields, region_name=row.get("regionName"))
