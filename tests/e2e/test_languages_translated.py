"""Replies, errors, forms and digests in the member's or the forum's language, read against the catalogues.

Each expectation is the catalogue's own translation of the English phrase, and must differ from the English:
until a catalogue is translated these tests fail and name the phrase that is missing.
"""

from __future__ import annotations

import pytest

from bot.i18n import _, language
from tests.e2e.test_report_cli import config, report  # noqa: F401  (the seeded database and its config)
from tests.support.world import embed_text


def translated(lang: str, message: str, **values: object) -> str:
    with language(lang):
        text = _(message).format(**values)
    assert text != message.format(**values), f"{lang}: not translated yet: {message!r}"
    return text


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_replies_errors_and_forms_in_the_members_language(world, lang):
    alice = world.members[0]
    with language(lang):
        gaps = world.bot.settings.theme("gaps")
        assert gaps is not None
        title = gaps.title  # the shipped translation of the default theme
    assert title != "Gaps"
    await alice.slash(world.channel, "profile language", language=lang)
    res = await alice.slash(world.channel, "gaps withdraw")  # a reply
    assert res.response.content == translated(lang, "You have no position on **{theme}** to withdraw.", theme=title)
    refused = await alice.slash(world.channel, "poll close", poll=1)  # an error (a gate's refusal)
    with language(lang):
        action = _("close polls")
    assert refused.response.content == translated(
        lang,
        "Sorry, only facilitators can {action}: members with the “{role}” role or the Manage Server permission.",
        role="Facilitator",
        action=action,
    )
    form = await alice.slash(world.channel, "gaps position", stance="some")  # a form
    assert form.modal["title"] == translated(lang, "{theme}: your rationale", theme=title)


@pytest.mark.concord_settings(digest={"language": "es"})
async def test_a_digest_in_spanish_in_discord(world):
    channel = world.guild.create_text_channel("digests")
    await world.facilitator.slash(world.channel, "digest channel", channel=channel)
    await world.members[0].slash(world.channel, "gaps position", stance="some", rationale="Uno.")
    await world.facilitator.slash(world.channel, "digest post", kind="weekly")
    posted = [m for m in channel.history(viewer=world.facilitator) if m.embeds]
    text = "\n".join(embed_text(embed) for message in posted for embed in message.embeds)
    assert translated("es", "Weekly digest") in text


def test_a_digest_in_spanish_through_the_command_line(config, tmp_path):  # noqa: F811
    out = tmp_path / "digest.html"
    assert report(config, "--kind", "now", "--format", "html", "--lang", "es", "--out", str(out)) == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="es" dir="ltr">' in page
    assert translated("es", "Stance") in page


def test_an_arabic_report_is_right_to_left(config, tmp_path):  # noqa: F811
    out = tmp_path / "digest.html"
    assert report(config, "--kind", "now", "--format", "html", "--lang", "ar", "--out", str(out)) == 0
    assert '<html lang="ar" dir="rtl">' in out.read_text(encoding="utf-8")
