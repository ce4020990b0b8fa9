"""The documents channel reads a brand's texts and nothing else of the machine.

Each test builds a hostile folder (symlinks out, system folders, a huge sparse
file, too many files, FIFOs) and shows what the reader refuses and why.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cx_auditor import documents
from cx_auditor.config import parse_config
from cx_auditor.documents import scan_documents
from cx_auditor.errors import ConfigError

MARKER = "CX_LEAK_MARKER_7f3a9"


def _cfg(folder: Path | str) -> object:
    text = (
        "site: {base_url: 'http://127.0.0.1:9'}\n"
        f"channels:\n  email: {{kind: documents, path: '{folder}'}}\n"
    )
    return parse_config(text, path="/nowhere/audit.yaml")


def _all_text(scan: documents.DocumentScan) -> str:
    return "\n".join(d.text + d.title for d in scan.documents)


def test_symlinks_out_of_the_folder_are_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CX_TEST_SECRET_TOKEN", MARKER)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "welcome.txt").write_text("Free shipping over $50.")
    (folder / "env.txt").symlink_to("/proc/self/environ")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    outside = tmp_path / "outside.html"
    outside.write_text(f"<p>{MARKER}</p>")
    (folder / "relative.html").symlink_to("../outside.html")
    (folder / "etc").symlink_to("/etc")  # a symlinked folder is not descended
    (folder / "alias.txt").symlink_to("welcome.txt")  # inside: followed
    scan = scan_documents(_cfg(folder))  # type: ignore[arg-type]
    assert sorted(d.path for d in scan.documents) == ["alias.txt", "welcome.txt"]
    text = _all_text(scan)
    assert MARKER not in text and "root:" not in text
    reasons = "\n".join(scan.skipped)
    for name in ("env.txt", "passwd.txt", "relative.html"):
        assert f"{name}: links outside the documents folder" in reasons
    assert "etc/: a symlinked folder is not followed" in reasons


@pytest.mark.parametrize("folder", ["/etc", "/", "/proc/self", "/usr/share", "~"])
def test_system_folders_are_refused_as_config_errors(folder: str) -> None:
    with pytest.raises(ConfigError) as err:
        scan_documents(_cfg(folder))  # type: ignore[arg-type]
    assert "channels.email.path" in str(err.value)
    assert "system folder" in str(err.value) or "root" in str(err.value) or "home folder" in str(err.value)


def test_fifo_and_devices_are_skipped_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")  # opening a FIFO for reading blocks until a writer comes
    (folder / "null.txt").symlink_to(folder / "pipe.txt")
    scan = scan_documents(_cfg(folder))  # type: ignore[arg-type]
    assert scan.documents == []
    assert any("pipe.txt: not a regular file" in s for s in scan.skipped)


def test_the_number_of_files_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "MAX_FILES", 5)
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(8):
        (folder / f"sms-{i}.txt").write_text(f"Text {i}")
    scan = scan_documents(_cfg(folder))  # type: ignore[arg-type]
    assert [d.path for d in scan.documents] == [f"sms-{i}.txt" for i in range(5)]
    assert sum("over the limit of 5 files" in s for s in scan.skipped) == 3


def test_a_huge_sparse_file_is_read_only_up_to_the_cap(tmp_path: Path) -> None:
    """A 400 MB sparse file: reading it whole would cost >400 MB; the capped read stays small."""
    folder = tmp_path / "docs"
    folder.mkdir()
    huge = folder / "newsletter.txt"
    with open(huge, "wb") as fh:
        fh.write(b"Hello " * 10)
        fh.truncate(400 * 1024 * 1024)
    script = textwrap.dedent(
        f"""
        import sys
        from cx_auditor.config import parse_config
        from cx_auditor.documents import scan_documents, MAX_BYTES
        cfg = parse_config(
            "site: {{base_url: 'http://127.0.0.1:9'}}\\n"
            "channels:\\n  e: {{kind: documents, path: '{folder}'}}\\n"
        )
        scan = scan_documents(cfg)
        doc = scan.documents[0]
        assert doc.text.startswith("Hello"), doc.text[:20]
        assert any("only its first" in s for s in scan.skipped), scan.skipped
        # VmHWM is this process's own peak; ru_maxrss would start from the parent's size at exec
        print(next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM')) // 1024)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    peak_mb = int(out.stdout.strip())
    assert peak_mb < 250, f"peak RSS {peak_mb} MB: the file was read whole"


MAIL = (
    "From: Shop <shop@example.com>\r\nTo: ann@example.com\r\nSubject: Your order 1042\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=BOUND\r\n\r\n"
    "--BOUND\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain: returns within 14 days\r\n"
    "--BOUND\r\nContent-Type: text/html; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    '<p>Returns within 30 days, fr=E9e</p><a href=3D"https://shop.example.com/help">Help</a>\r\n'
    "--BOUND--\r\n"
)


def test_eml_and_raw_mime_files_are_read_html_part_first(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "order.eml").write_bytes(MAIL.encode())
    (folder / "20240101-120000-1").write_bytes(MAIL.encode())  # what a file mail backend writes
    (folder / "shipped.log").write_bytes(
        b"From: shop@example.com\nSubject: Shipped\n"
        b"Content-Type: text/plain; charset=utf-8\n\nOn its way: 2 days\n"
    )
    (folder / "server.log").write_bytes(b"2024-01-01 INFO started\nGET / 200\n")  # not mail: ignored
    scan = scan_documents(_cfg(folder))  # type: ignore[arg-type]
    by_path = {d.path: d for d in scan.documents}
    assert set(by_path) == {"order.eml", "20240101-120000-1", "shipped.log"}
    order = by_path["order.eml"]
    assert order.title == "Your order 1042" and order.kind == "email"
    assert "Returns within 30 days, fr\u00e9e" in order.text  # quoted-printable, Latin-1, decoded
    assert "Plain:" not in order.text and "Content-Type" not in order.text
    assert [link.href for link in order.links] == ["https://shop.example.com/help"]
    assert by_path["20240101-120000-1"].text == order.text
    assert by_path["shipped.log"].text.strip() == "On its way: 2 days"
