"""The Baku 2012 Open Forum on Enhanced Cooperation: the default themes and the closed vocabularies.

Kept as plain data so settings, the rehearsal and the docs all read the same source.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

FORUM_CONTEXT = (
    "At its meeting of 18 May 2012 the UN Commission on Science and Technology for Development (CSTD) "
    "held an open consultation on enhanced cooperation, the process paragraphs 69-71 of the Tunis Agenda "
    "leave open: how governments, on an equal footing, carry out their roles and responsibilities in "
    "international public policy issues pertaining to the Internet, with all stakeholders in their "
    "respective roles. This Open Forum asks who does what, and how it could work better."
)

# The keys of the closed vocabularies (their labels are words: see bot/render/wording.py).
STAKEHOLDERS: tuple[str, ...] = (
    "government",
    "private-sector",
    "civil-society",
    "technical-community",
    "academia",
    "intergovernmental",
)
REGIONS: tuple[str, ...] = ("african", "asia-pacific", "eastern-european", "latin-american-caribbean", "weog")
UNDECLARED = "undeclared"


class Attribution(StrEnum):
    """How rationales are attributed: under the Chatham House rule (groups only) or by name."""

    CHATHAM_HOUSE = "chatham-house"
    NAMED = "named"


DEFAULT_THEMES: list[dict[str, Any]] = [
    {
        "slug": "existing",
        "title": "Existing cooperation",
        "question": (
            "What aspects of existing enhanced cooperation exist already and/or have potential for further development?"
        ),
        "stances": [
            {"key": "sufficient", "label": "Existing mechanisms already deliver it"},
            {"key": "develop", "label": "They exist but need further development"},
            {"key": "lacking", "label": "It is largely lacking"},
            {"key": "undecided", "label": "Undecided"},
        ],
    },
    {
        "slug": "gaps",
        "title": "Gaps",
        "question": (
            "Can we identify areas in which such mechanisms are weak or lacking and need correction or improvement?"
        ),
        "stances": [
            {"key": "none", "label": "No significant gaps"},
            {"key": "some", "label": "Gaps in specific policy areas"},
            {"key": "widespread", "label": "Widespread gaps"},
            {"key": "undecided", "label": "Undecided"},
        ],
    },
    {
        "slug": "structures",
        "title": "Existing structures",
        "question": (
            "Which existing structures can be used to operationalize enhanced cooperation, if "
            "necessary by improving them, and how?"
        ),
        "stances": [
            {"key": "as-is", "label": "Existing structures as they are"},
            {"key": "improve", "label": "Existing structures, once improved"},
            {"key": "none-fit", "label": "No existing structure fits"},
            {"key": "undecided", "label": "Undecided"},
        ],
    },
    {
        "slug": "igf",
        "title": "The role of the IGF",
        "question": (
            "What is the role of the Internet Governance Forum, given that paragraphs 67-72 of the "
            "Tunis Agenda are read by some as putting enhanced cooperation squarely within the IGF?"
        ),
        "stances": [
            {"key": "home", "label": "Enhanced cooperation belongs within the IGF"},
            {"key": "contributor", "label": "The IGF contributes but is not its home"},
            {"key": "separate", "label": "It is a separate process"},
            {"key": "undecided", "label": "Undecided"},
        ],
    },
    {
        "slug": "newbody",
        "title": "A new UN structure?",
        "question": (
            "Would a new structure, hosted by or linked to the UN, be appropriate or necessary to "
            "operationalize enhanced cooperation? What are the pros and cons?"
        ),
        "stances": [
            {"key": "new-un-body", "label": "A new body within the UN system"},
            {"key": "status-quo", "label": "Status quo: existing mechanisms suffice"},
            {"key": "analyse-first", "label": "Analyse the current ecosystem first"},
            {"key": "undecided", "label": "Undecided"},
        ],
    },
]
