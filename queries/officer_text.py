"""Officers in an answer's sentences (人员表述, 个人信息): named only for a reader who may see them.

An officer's name and certificate number are personal data: the API shows them to editors,
reviewers and admins only (graphql_api.auth), the CLI — an operator's tool — always. Answers
carry every officer in structured fields (a gap's subjects, a case's officers), which the API
masks field by field. A sentence cannot be masked once written, so it is written for its reader:
`personal=True` names the officers, `personal=False` counts them and leaves who they are to the
structured fields. False is the default: a reader nobody vouched for sees no names.
"""

from __future__ import annotations

from collections.abc import Sequence


def officer(name: str, certificate: str | None = None, *, personal: bool) -> str:
    """One officer: 张三 (证号 35…) for a reader with the right, else 一名执法人员."""
    if not personal:
        return "一名执法人员"
    return f"{name} (证号 {certificate})" if certificate else name


def officers(named: Sequence[str], *, personal: bool) -> str:
    """Several officers, each already written for a reader with the right (张三、李四(法制审核人员)),
    or their count for one without it: 2 名."""
    return "、".join(named) if personal else f"{len(named)} 名"
