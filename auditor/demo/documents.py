"""The brand's other touchpoints (emails, SMS, app-store listing, chatbot answers).

They ship as plain files under ``documents/<variant>/`` so they can be read by any
tool, diffed, and packaged as data.  ``flawed`` differs from ``clean`` only by the
``email-phone-mismatch`` defect (wrong phone number, 60-day returns).
"""

from __future__ import annotations

from pathlib import Path

DOCUMENTS_ROOT = Path(__file__).resolve().parent / "documents"
DOCUMENT_NAMES = (
    "order-confirmation.html",
    "shipping-notice.html",
    "sms.txt",
    "app-store-listing.txt",
    "chatbot-answers.txt",
)


def documents_dir(variant: str = "clean") -> Path:
    """Folder holding the documents for ``variant`` (``"clean"`` or ``"flawed"``)."""
    if variant not in ("clean", "flawed"):
        raise ValueError(f"variant must be 'clean' or 'flawed', got {variant!r}")
    return DOCUMENTS_ROOT / variant
