"""The words every renderer shares: names of groups, digests and their parts, authors, problems.

Core returns values and enums (a digest kind, a shift basis, an author, a poll problem); this
module is where they become words, once, for Discord, Markdown, HTML, JSON and charts alike.
Every phrase goes through gettext (`bot.i18n`), so it reads in the language of the context.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.consensus import GroupAgreement
from bot.core.digest import Digest, ShiftBasis
from bot.core.models import Attribution, Author
from bot.core.polls import MAX_OPTION_LENGTH, MAX_OPTIONS, MAX_QUESTION, MIN_OPTIONS, PollInputError, PollProblem
from bot.core.privacy import ANONYMOUS, OTHER
from bot.core.schedule import DeliveryError, DigestKind
from bot.forum import UNDECLARED
from bot.i18n import N_, _, ngettext

STAKEHOLDER_LABELS: dict[str, str] = {
    "government": N_("Government"),
    "private-sector": N_("Private sector"),
    "civil-society": N_("Civil society"),
    "technical-community": N_("Technical community"),
    "academia": N_("Academia"),
    "intergovernmental": N_("Intergovernmental organisation"),
}
REGION_LABELS: dict[str, str] = {
    "african": N_("African Group"),
    "asia-pacific": N_("Asia-Pacific Group"),
    "eastern-european": N_("Eastern European Group"),
    "latin-american-caribbean": N_("Latin American and Caribbean Group"),
    "weog": N_("Western European and Others Group"),
}
_OTHER_GROUPS = {UNDECLARED: N_("Undeclared"), OTHER: N_("Other"), ANONYMOUS: N_("a participant")}

# Each digest kind has a title (a digest's heading: "Before the session — <forum>") and a name
# (in sentences and lists: "the before-session digest", "Before-session digest — <time>").
_DIGEST_TITLES = {
    DigestKind.BEFORE: N_("Before the session"),
    DigestKind.AFTER: N_("After the session"),
    DigestKind.WEEKLY: N_("Weekly digest"),
    DigestKind.NOW: N_("Digest"),
}
_DIGEST_NAMES = {
    DigestKind.BEFORE: N_("Before-session digest"),
    DigestKind.AFTER: N_("After-session digest"),
    DigestKind.WEEKLY: N_("Weekly digest"),
    DigestKind.NOW: N_("Digest"),
}
_SHIFT_BASES = {
    ShiftBasis.BEFORE_DIGEST: N_("the before-session digest"),
    ShiftBasis.BEFORE_DUE: N_("the time the before-session digest was due"),
    ShiftBasis.SESSION_START: N_("the start of the session"),
}
_DELIVERY_ADVICE = {
    DeliveryError.FORBIDDEN: N_(
        "the bot lacks permission there: give it View Channel, Send Messages, Embed Links and Attach Files"
    ),
    DeliveryError.CHANNEL: N_("the digest channel is gone or unreachable: choose one with /digest channel"),
    DeliveryError.SERVER: N_("Discord failed"),
    DeliveryError.TIMEOUT: N_("Discord did not answer in time"),
    DeliveryError.ERROR: N_("something went wrong on the bot's side (the details are in its log)"),
}
# Discord's own names for the permissions the bot checks before it posts (discord.py's attribute names).
_PERMISSIONS = {
    "view_channel": N_("View Channel"),
    "send_messages": N_("Send Messages"),
    "send_messages_in_threads": N_("Send Messages in Threads"),
    "embed_links": N_("Embed Links"),
    "attach_files": N_("Attach Files"),
    "read_message_history": N_("Read Message History"),
}
MAX_LISTED_BLANKS = 10  # a poll explanation names this many blank answers at most, whatever was typed


def group_label(key: str) -> str:
    """A stakeholder group's or region's display name ("undeclared" and "other" included; an author whose
    group is too small to name is "a participant")."""
    label = STAKEHOLDER_LABELS.get(key) or REGION_LABELS.get(key) or _OTHER_GROUPS.get(key)
    return _(label) if label else key


def stakeholder_choices() -> list[tuple[str, str]]:
    """(label, key) for every stakeholder group, in the forum's order."""
    return [(_(label), key) for key, label in STAKEHOLDER_LABELS.items()]


def region_choices() -> list[tuple[str, str]]:
    return [(_(label), key) for key, label in REGION_LABELS.items()]


def digest_title(kind: DigestKind | str) -> str:
    """The heading form: "Before the session"."""
    return _(_DIGEST_TITLES.get(DigestKind(kind), _DIGEST_TITLES[DigestKind.NOW]))


def digest_name(kind: DigestKind | str) -> str:
    """The naming form: "Before-session digest"."""
    return _(_DIGEST_NAMES.get(DigestKind(kind), _DIGEST_NAMES[DigestKind.NOW]))


def digest_heading(digest: Digest) -> str:
    return _("{title} — {forum}").format(title=digest_title(digest.kind), forum=digest.session_title)


def shift_basis(basis: ShiftBasis | None) -> str:
    return _(_SHIFT_BASES[basis]) if basis is not None else ""


def shift_heading(basis: ShiftBasis | None) -> str:
    return _("Shift since {basis}").format(basis=shift_basis(basis))


def author(who: Author, attribution: Attribution) -> str:
    """Chatham House: the stakeholder group only; named: the name, then the group."""
    group = group_label(who.group)
    if attribution != Attribution.NAMED:
        return group
    return _("{name} ({group})").format(name=who.name or _("a participant"), group=group)


def delivery_advice(kind: DeliveryError | str | None) -> str:
    advice = _DELIVERY_ADVICE.get(DeliveryError(kind)) if kind else None
    return _(advice) if advice else _("it failed")


def permission_names(keys: Sequence[str]) -> str:
    """ "Send Messages, Embed Links": permissions as Discord's settings name them."""
    return ", ".join(_(_PERMISSIONS[key]) if key in _PERMISSIONS else key for key in keys)


def count_of(count: int, singular: str, plural: str) -> str:
    """ "1 participant", "3 participants": `singular`/`plural` are gettext msgids with {count}, written
    as string literals at each call, so that extraction (keyword `count_of:2,3`) makes one plural entry
    of them, with as many forms as each language has."""
    return ngettext(singular, plural, count).format(count=count)


def participants(count: int) -> str:
    return count_of(count, "{count} participant", "{count} participants")


def voters(count: int) -> str:
    return count_of(count, "{count} voter", "{count} voters")


def messages(count: int) -> str:
    return count_of(count, "{count} message", "{count} messages")


def missing_groups(keys: Sequence[str]) -> str:
    return ", ".join(group_label(key) for key in keys)


def statement_label(number: int | None) -> str:
    """ "#12": how a statement is named wherever its text is shown ("" for a rationale with no number)."""
    return f"#{number}" if number is not None else ""


def agreement_line(group: GroupAgreement) -> str:
    """ "Government 4 of 5 agree": the group's agrees of all its reactions (passes included)."""
    return _("{group} {agrees} of {reactions} agree").format(
        group=group_label(group.group), agrees=group.votes.agrees, reactions=group.votes.total
    )


def score_label(score: float) -> str:
    """A consensus score (the geometric mean of the groups' agreement) in percent: "score 72%"."""
    return _("score {percent}%").format(percent=round(score * 100))


def poll_problem(error: PollInputError) -> str:
    """Why a poll could not be made, politely, ending with what was (not) done."""
    details = error.details
    match error.problem:
        case PollProblem.EMPTY_QUESTION:
            text = _("Sorry, the question is empty.")
        case PollProblem.QUESTION_TOO_LONG:
            text = _("Sorry, the question can be at most {limit} characters; yours has {length}.").format(
                limit=MAX_QUESTION, length=details["length"]
            )
        case PollProblem.BLANK_ANSWERS:
            text = _blank_answers(tuple(details["blanks"]))  # type: ignore[arg-type]
        case PollProblem.ANSWER_COUNT:
            text = _(
                "Sorry, a poll needs between {least} and {most} answers separated by `;` "
                "(e.g. `Yes; No; Not yet`); you gave {count}."
            ).format(least=MIN_OPTIONS, most=MAX_OPTIONS, count=details["count"])
        case PollProblem.ANSWER_TOO_LONG:
            text = _("Sorry, each answer can be at most {limit} characters; “{start}…” has {length}.").format(
                limit=MAX_OPTION_LENGTH, start=str(details["answer"])[:20], length=details["length"]
            )
        case PollProblem.DUPLICATE_ANSWER:
            text = _("Sorry, the answer “{answer}” appears twice.").format(answer=details["answer"])
    return f"{text} {_('Nothing was posted.')}"


def _blank_answers(blanks: Sequence[int]) -> str:
    numbers = ", ".join(str(number) for number in blanks[:MAX_LISTED_BLANKS])
    if len(blanks) > MAX_LISTED_BLANKS:
        numbers = _("{first}… ({count} in all)").format(first=numbers, count=len(blanks))
    which = (
        _("answer {number} is blank").format(number=numbers)
        if len(blanks) == 1
        else _("answers {numbers} are blank").format(numbers=numbers)
    )
    return _("Sorry, {which}. Separate the answers with `;`, e.g. `Yes; No; Not yet`, and leave no empty ones.").format(
        which=which
    )
