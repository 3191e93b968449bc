"""The words of `/mydata export` and `/mydata delete`."""

from __future__ import annotations

from bot.i18n import _

EXPORT_FILENAME = "concord-mydata.json"


def export_ready() -> str:
    return _(
        "Here is everything Concord holds about you in this server (the fields are explained in the "
        "bot's documentation, docs/data-rights.md). Only you can see this message."
    )


def export_too_large(limit_mib: int) -> str:
    return _(
        "Sorry, your data is larger than the {limit} MiB Discord lets the bot attach here. Nothing was "
        "changed; please ask the forum's organisers, who can export it for you."
    ).format(limit=limit_mib)


def delete_question() -> str:
    return _(
        "This erases everything Concord holds about you in this server: your profile and its history, "
        "your positions and their history, your statements (with every reaction to them), your reactions, "
        "your votes in open-ballot polls and your display name. It cannot be undone.\n"
        "Messages already posted in Discord (digests, poll results) are not edited. Your secret ballots "
        "cannot be linked to you and stay counted: in a secret poll still open, your ballot stays counted "
        "and can no longer be changed or withdrawn."
    )


def delete_label() -> str:
    return _("Delete my data")


def cancel_label() -> str:
    return _("Cancel")


def deleted() -> str:
    return _("Done: Concord no longer holds any data about you in this server.")


def nothing_to_delete() -> str:
    return _("Done: Concord held no data about you in this server.")


def cancelled() -> str:
    return _("Cancelled: nothing was erased.")


def not_your_confirmation() -> str:
    return _("Sorry, only the member who asked can answer this confirmation.")
