"""The ``documents`` channel: a brand's touchpoints that are not web pages.

A folder of HTML or text email templates, SMS copy, an app-store listing, a
chatbot's canned answers... Each file becomes a :class:`Document` whose text
joins the messaging-consistency comparison like any page's.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from cx_auditor.config import AuditConfig
from cx_auditor.errors import ConfigError
from cx_auditor.models import Document, Link

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_BYTES = 2_000_000


def guess_kind(path: Path) -> str:
    name = path.name.lower()
    for kind, pattern in (
        ("sms", r"sms|text-message"),
        ("listing", r"app[-_ ]?store|play[-_ ]?store|listing"),
        ("chatbot", r"chat|bot|faq-answers|canned"),
        ("email", r"mail|confirmation|notice|receipt|newsletter|shipping|order"),
    ):
        if re.search(pattern, name):
            return kind
    return "email" if path.suffix.lower() in HTML_SUFFIXES else "text"


def read_document(path: Path, *, channel: str, root: Path) -> Document:
    raw = path.read_bytes()[:MAX_BYTES].decode("utf-8", errors="replace")
    rel = path.relative_to(root).as_posix()
    links: list[Link] = []
    title = ""
    if path.suffix.lower() in HTML_SUFFIXES:
        soup = BeautifulSoup(raw, "html.parser")
        for tag in soup(["script", "style", "head"]):
            if tag.name == "head" and tag.title:
                title = tag.title.get_text(strip=True)
            tag.decompose()
        for order, a in enumerate(soup.find_all("a", href=True)):
            links.append(Link(href=str(a["href"]), text=a.get_text(" ", strip=True), order=order))
        text = soup.get_text("\n", strip=True)
    else:
        text = raw
        for order, m in enumerate(re.finditer(r"(https?://\S+|tel:[+\d-]+|mailto:\S+)", raw)):
            links.append(Link(href=m.group(1).rstrip(".,)"), order=order))
    text = re.sub(r"[ \t]+", " ", text)
    return Document(
        id=f"{channel}:{rel}",
        channel=channel,
        path=rel,
        kind=guess_kind(path),
        title=title or path.stem.replace("-", " ").replace("_", " ").capitalize(),
        text=text,
        links=links,
    )


def read_documents(cfg: AuditConfig) -> list[Document]:
    docs: list[Document] = []
    for ch in cfg.document_channels():
        root = cfg.resolve_path(ch.path or "")
        if not root.is_dir():
            raise ConfigError(
                f"the documents folder {root} does not exist. Paths are resolved from the config's folder.",
                path=str(cfg.path) if cfg.path else None,
                field=f"channels.{ch.name}.path",
            )
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES:
                docs.append(read_document(path, channel=ch.name, root=root))
    return docs
