"""The replies every command shares: the apology, refusals at a gate, and answers to broken requests."""

from __future__ import annotations

from bot.i18n import _
from bot.render.discord.limits import clip


def apology() -> str:
    """For the unexpected: it says nothing recorded was lost, so it is only used where that is true.

    It never invites a retry: the failure may have come after the work was done (the answer to a
    vote, a post whose confirmation failed), and doing it again could undo a vote or post twice.
    """
    return _(
        "Sorry, something went wrong on our side while handling that (the details are in the bot's log). "
        "Nothing you had already recorded was lost, but what you just asked for may or may not have been "
        "done: check before doing it again."
    )


def not_allowed_here() -> str:
    return _("Sorry, you can't use this command here.")


def only_in_a_server() -> str:
    return _("Sorry, this works only inside a server, where the forum takes place.")


def cooldown(seconds: float) -> str:
    return _("Please wait {seconds} seconds before trying that again.").format(seconds=f"{seconds:.0f}")


def invalid_value(value: object) -> str:
    return _("Sorry, {value} is not a valid value for that option.").format(value=clip(repr(value), 100))


def only_facilitators(role: str, action: str) -> str:
    """`action` is already in the reader's language: "create polls", "close polls"."""
    return _(
        "Sorry, only facilitators can {action}: members with the “{role}” role or the Manage Server permission."
    ).format(action=action, role=role)


def only_organisers(role: str, action: str) -> str:
    return _("Sorry, only organisers (the “{role}” role, or Manage Server) can {action}.").format(
        role=role, action=action
    )


def command_gone(name: str) -> str:
    """A command Discord still lists (it was synced before the forum's configuration changed)."""
    return _(
        "Sorry, `/{name}` is no longer part of this forum. Your Discord app may still list it for a while; "
        "the commands this forum offers are in the command list under the bot's name."
    ).format(name=clip(name, 100))


def theme_gone() -> str:
    return _("Sorry, that theme is no longer part of this forum.")
