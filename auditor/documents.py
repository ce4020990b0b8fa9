"""The ``documents`` channel: a brand's touchpoints that are not web pages.

A folder of HTML or text email templates, raw MIME mail files (``.eml``, or what
a mail backend writes to disk), SMS copy, an app-store listing, a chatbot's
canned answers... Each file becomes a :class:`Document` whose text joins the
messaging-consistency comparison like any page's.

The folder is untrusted input in CI, where secrets live in the environment, so
reading it keeps four promises:

* only regular files *inside* the folder are read: a symlink is resolved and
  followed only when its target stays inside; a link to ``/proc/self/environ``
  or ``/etc/passwd``, a FIFO or a device is skipped with a noted reason;
* system folders (``/``, ``/etc``, ``/proc``, the home folder itself...) are
  refused as a config error;
* at most :data:`MAX_BYTES` of a file are ever read (a 1.5 GB sparse file costs
  2 MB, not 1.5 GB of memory);
* at most :data:`MAX_FILES` files per channel are read; the rest are noted.
"""

from __future__ import annotations

import email
import email.policy
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from bs4 import BeautifulSoup
from cx_auditor.config import AuditConfig
from cx_auditor.errors import ConfigError
from cx_auditor.models import Document, Link

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAIL_SUFFIXES = {".eml", ".mime", ".mbx"}
#: files with these suffixes (or none) are read when they start like a MIME message;
#: mail backends write raw messages as ``.log``/``.msg``/no-suffix files
SNIFF_SUFFIXES = {"", ".log", ".msg", ".mail", ".out"}
MAX_BYTES = 2_000_000
MAX_FILES = 1000

#: folders whose contents are the machine's, not a brand's: never a documents channel
SYSTEM_FOLDERS = ("/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/run", "/usr", "/bin", "/sbin",
                  "/lib", "/lib32", "/lib64", "/var/run", "/var/lib", "/var/log", "/private/etc",
                  "/System", "/Library")  # fmt: skip

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_MIME_MARKERS = (b"mime-version:", b"content-type:", b"subject:", b"from:", b"to:", b"date:")


@dataclass
class DocumentScan:
    """What a documents folder yielded: the documents, and every file skipped with why."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


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
    return "email" if path.suffix.lower() in HTML_SUFFIXES | MAIL_SUFFIXES else "text"


def refuse_system_folder(root: Path) -> str | None:
    """Why ``root`` may not be a documents folder, or ``None`` when it may."""
    resolved = root.resolve()
    if resolved == Path(resolved.anchor):
        return "is the filesystem root"
    home = Path.home().resolve()
    if resolved == home:
        return "is your home folder itself (point at a folder of brand texts inside it)"
    text = resolved.as_posix()
    for system in SYSTEM_FOLDERS:
        if text == system or text.startswith(system + "/"):
            return f"is a system folder ({system})"
    return None


def _read_capped(path: Path) -> tuple[bytes, bool]:
    """Read at most :data:`MAX_BYTES` of a regular file; ``(data, truncated)``.

    Opened without following a final symlink and without blocking (a FIFO would
    hang ``open``); the open descriptor is checked to be a regular file, so a
    swap between the scan and the read cannot smuggle in something else.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        chunks: list[bytes] = []
        left = MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data[:MAX_BYTES], len(data) > MAX_BYTES


def looks_like_mime(raw: bytes) -> bool:
    """A raw RFC 5322 message: a block of ``Name: value`` header lines naming mail headers."""
    head = raw[:8192].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].lower()
    lines = [ln for ln in head.split(b"\n") if ln and not ln[:1].isspace()]
    if len(lines) < 2 or not all(_HEADER_LINE.match(ln) for ln in lines[:2]):
        return False
    return sum(any(ln.startswith(m) for m in _MIME_MARKERS) for ln in lines) >= 2


def _mail_body(raw: bytes) -> tuple[str, str, bool]:
    """``(subject, body, is_html)`` of a MIME message: the HTML part when there is one, else text."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    subject = str(msg.get("subject", "") or "")
    body = ""
    is_html = False
    if isinstance(msg, EmailMessage):
        part = msg.get_body(preferencelist=("html", "plain"))
        if part is not None:
            try:
                body = str(part.get_content())
            except (LookupError, ValueError):  # unknown charset or broken encoding
                payload = part.get_payload(decode=True)
                body = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
            is_html = part.get_content_type() == "text/html"
    return subject, body, is_html


def _html_text(raw: str) -> tuple[str, str, list[Link]]:
    soup = BeautifulSoup(raw, "html.parser")
    title = ""
    links: list[Link] = []
    for tag in soup(["script", "style", "head"]):
        if tag.name == "head" and tag.title:
            title = tag.title.get_text(strip=True)
        tag.decompose()
    for order, a in enumerate(soup.find_all("a", href=True)):
        links.append(Link(href=str(a["href"]), text=a.get_text(" ", strip=True), order=order))
    return title, soup.get_text("\n", strip=True), links


def _plain_links(raw: str) -> list[Link]:
    return [
        Link(href=m.group(1).rstrip(".,)"), order=order)
        for order, m in enumerate(re.finditer(r"(https?://\S+|tel:[+\d-]+|mailto:\S+)", raw))
    ]


def read_document(path: Path, *, channel: str, root: Path, data: bytes | None = None) -> Document:
    """One file as a :class:`Document` (``data``: bytes already read with the cap)."""
    if data is None:
        data, _ = _read_capped(path)
    rel = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    title = ""
    if suffix in MAIL_SUFFIXES or (suffix not in HTML_SUFFIXES | TEXT_SUFFIXES and looks_like_mime(data)):
        subject, body, is_html = _mail_body(data)
        if is_html:
            title, text, links = _html_text(body)
        else:
            text, links = body, _plain_links(body)
        title = subject or title
        kind = "email"
    else:
        raw = data.decode("utf-8", errors="replace")
        if suffix in HTML_SUFFIXES:
            title, text, links = _html_text(raw)
        else:
            text, links = raw, _plain_links(raw)
        kind = guess_kind(path)
    text = re.sub(r"[ \t]+", " ", text)
    return Document(
        id=f"{channel}:{rel}",
        channel=channel,
        path=rel,
        kind=kind,
        title=title or path.stem.replace("-", " ").replace("_", " ").capitalize(),
        text=text,
        links=links,
    )


def _candidates(root: Path, skipped: list[str]) -> list[Path]:
    """Files under ``root`` (sorted), without descending into symlinked folders."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for d in list(dirnames):
            if (here / d).is_symlink():
                skipped.append(
                    f"{(here / d).relative_to(root).as_posix()}/: a symlinked folder is not followed"
                )
                dirnames.remove(d)
        dirnames.sort()
        found.extend(here / name for name in filenames)
    return sorted(found)


def _wanted(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in TEXT_SUFFIXES | HTML_SUFFIXES | MAIL_SUFFIXES or suffix in SNIFF_SUFFIXES


def scan_channel(root: Path, channel: str) -> DocumentScan:
    """Read a documents folder under the promises above; never raises for a single bad file."""
    scan = DocumentScan()
    real_root = root.resolve()
    read = 0
    for path in _candidates(root, scan.skipped):
        rel = path.relative_to(root).as_posix()
        if not _wanted(path):
            continue
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            scan.skipped.append(f"{rel}: a broken or looping symlink")
            continue
        if target != real_root and real_root not in target.parents:
            scan.skipped.append(f"{rel}: links outside the documents folder (to {target}); not read")
            continue
        try:
            mode = target.stat().st_mode
        except OSError as exc:
            scan.skipped.append(f"{rel}: cannot be read ({exc.strerror or exc})")
            continue
        if not stat.S_ISREG(mode):
            scan.skipped.append(f"{rel}: not a regular file (a FIFO, socket or device); not read")
            continue
        if read >= MAX_FILES:
            scan.skipped.append(f"{rel}: over the limit of {MAX_FILES} files per documents channel")
            continue
        try:
            data, truncated = _read_capped(target)
        except OSError as exc:
            scan.skipped.append(f"{rel}: cannot be read ({exc.strerror or exc})")
            continue
        suffix = path.suffix.lower()
        if suffix in SNIFF_SUFFIXES and not looks_like_mime(data):
            continue  # a stray log or binary, not a mail file
        if truncated:
            scan.skipped.append(f"{rel}: only its first {MAX_BYTES:,} bytes were read")
        scan.documents.append(read_document(path, channel=channel, root=root, data=data))
        read += 1
    return scan


def scan_documents(cfg: AuditConfig) -> DocumentScan:
    """Every documents channel of ``cfg``; a missing or system folder is a :class:`ConfigError`."""
    total = DocumentScan()
    for ch in cfg.document_channels():
        root = cfg.resolve_path(ch.path or "")
        where = {"path": str(cfg.path) if cfg.path else None, "field": f"channels.{ch.name}.path"}
        if not root.is_dir():
            raise ConfigError(
                f"the documents folder {root} does not exist. Paths are resolved from the config's folder.",
                **where,
            )
        why = refuse_system_folder(root)
        if why:
            raise ConfigError(
                f"the documents folder {root} {why}; cx-audit reads only a folder of your own "
                "email/SMS/app texts. Point `path:` at that folder.",
                **where,
            )
        scan = scan_channel(root, ch.name)
        total.documents.extend(scan.documents)
        total.skipped.extend(f"{ch.name}: {note}" for note in scan.skipped)
    return total


def read_documents(cfg: AuditConfig) -> list[Document]:
    """The documents of every documents channel; skipped files are logged as warnings."""
    scan = scan_documents(cfg)
    for note in scan.skipped:
        log.warning("documents %s", note)
    return scan.documents
