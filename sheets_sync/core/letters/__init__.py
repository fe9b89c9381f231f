"""The emails of PRODUCT.md §5, composed: an evaluation in, rendered `Letter`s out.

    compose(evaluation, settings, words, due, today, templates=Templates(templates_dir))

Sending, the ledger and the schedule are the shell's and the adapters' work; this package
decides who receives what, says it without anyone's private details, and renders it.
"""

from sheets_sync.core.letters.compose import (
    compose,
    digest_subject,
    district_subject,
    may_receive,
    principal_subject,
    year_summaries,
)
from sheets_sync.core.letters.model import (
    DISTRICT_SUMMARY,
    FACILITATOR_DIGEST,
    PRINCIPAL_SUMMARY,
    YEAR_SUMMARY,
    ContactForm,
    DueKinds,
    Letter,
    Words,
    letter_key,
    one_line,
)
from sheets_sync.core.letters.render import TEMPLATE_NAMES, Templates, packaged_templates

__all__ = [
    "DISTRICT_SUMMARY",
    "FACILITATOR_DIGEST",
    "PRINCIPAL_SUMMARY",
    "TEMPLATE_NAMES",
    "YEAR_SUMMARY",
    "ContactForm",
    "DueKinds",
    "Letter",
    "Templates",
    "Words",
    "compose",
    "digest_subject",
    "district_subject",
    "letter_key",
    "may_receive",
    "one_line",
    "packaged_templates",
    "principal_subject",
    "year_summaries",
]
