"""Every call the bot makes to Discord's REST API, where it is made, and the fault test that meets it with
every kind of failure (tests/support/faults.py: 500, 429, 403, 404 for a channel and for a message, a
timeout, an answer lost after the work was done). docs/faults.md describes each by the same name.

tests/unit/test_rest_calls.py scans bot/ and cogs/ for the call sites and fails when one is missing here
(or listed here but gone), when docs/faults.md does not describe a call, or when a named test is not
parametrised over every fault.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a call is made: the file, the enclosing function (Class.method), and the call as written.
Site = tuple[str, str, str]


@dataclass(frozen=True)
class RestCall:
    name: str  # as docs/faults.md names it
    route: str
    sites: tuple[Site, ...]  # empty: discord.py makes the call itself (see `made_by`)
    tests: tuple[str, ...]  # "module::test" or "module::test[case]", each parametrised over every fault
    made_by: str = ""


ANSWERS = (
    "tests/e2e/test_faults_answers.py::test_a_fault_on_an_answer_leaves_the_bot_working_and_nothing_recorded_twice"
)
VOTES = (
    "tests/e2e/test_faults_answers.py::"
    "test_a_fault_on_a_vote_counts_it_once_or_not_at_all_and_says_nothing_of_trying_again"
)
CALLS = (
    "tests/e2e/test_faults_calls.py::"
    "test_a_fault_on_this_call_leaves_the_bot_working_with_nothing_done_twice_or_claimed_undone"
)
POSTING = "tests/e2e/test_faults_posting.py::"
SCHEDULED = "tests/e2e/test_faults_scheduled.py::"
CALLBACK = "POST /interactions/{id}/{token}/callback"
FOLLOW_UP = "POST /webhooks/{application}/{token}"
ORIGINAL = "/webhooks/{application}/{token}/messages/@original"
MESSAGES = "POST /channels/{channel}/messages"
MESSAGE_ID = "poll.message_id"

REST_CALLS: tuple[RestCall, ...] = (
    # --- answers to interactions, shared by every command and component
    RestCall(
        "reply",
        f"{CALLBACK} (type 4), or {FOLLOW_UP} once answered",
        (
            ("bot/interactions.py", "reply", "interaction.response.send_message"),
            ("bot/interactions.py", "reply", "interaction.followup.send"),
        ),
        (f"{ANSWERS}[reply]", f"{ANSWERS}[follow-up]", f"{ANSWERS}[form-answer]", f"{VOTES}[confirmation]"),
    ),
    RestCall(
        "confirmation-second-route",
        f"PATCH {ORIGINAL}",
        (("bot/interactions.py", "confirm", "interaction.edit_original_response"),),
        (f"{CALLS}[confirmation-second-route]",),
    ),
    RestCall(
        "post-once",
        f"{MESSAGES} with a nonce and enforce_nonce, once more at once when the answer is unclear",
        (("bot/interactions.py", "send_reconciled", "channel.send"),),
        (
            POSTING + "test_a_fault_posting_a_poll_leaves_it_either_posted_and_stored_or_neither",
            f"{CALLS}[hide-author-dm]",
        ),
    ),
    RestCall(
        "autocomplete",
        f"{CALLBACK} (type 8)",
        (),
        (f"{ANSWERS}[autocomplete]",),
        made_by="discord.py, with the choices `PollCog._theme_choices` returns",
    ),
    # --- start-up
    RestCall(
        "command-sync",
        "PUT /applications/{application}/commands (or .../guilds/{guild}/commands)",
        (("bot/app.py", "ConcordBot._sync_tree", "self.tree.sync"),),
        (f"{CALLS}[command-sync]",),
    ),
    RestCall(
        "login",
        "GET /users/@me, GET /gateway/bot, GET /oauth2/applications/@me",
        (("bot/cli/run.py", "serve", "bot.start"),),
        (),
        made_by="discord.py's login; SimCord connects its bot without it, so tests/unit/test_database_problems.py "
        "and the run command's own handling (one line, status 1) cover it",
    ),
    # --- polls
    RestCall(
        "poll-create-deferral",
        f"{CALLBACK} (type 5)",
        (("cogs/polls/_cog.py", "PollCog.create", "interaction.response.defer"),),
        (f"{CALLS}[poll-create-deferral]",),
    ),
    RestCall(
        "poll-post",
        f"{MESSAGES} (through post-once)",
        (),
        (
            POSTING + "test_a_fault_posting_a_poll_leaves_it_either_posted_and_stored_or_neither",
            POSTING + "test_a_failed_confirmation_of_a_posted_poll_says_it_was_posted",
        ),
        made_by="`PollCog._post`, through `send_reconciled`",
    ),
    RestCall(
        "poll-close-deferral",
        f"{CALLBACK} (type 5)",
        (("cogs/polls/_cog.py", "PollCog.close", "interaction.response.defer"),),
        (f"{CALLS}[poll-close-deferral]", POSTING + "test_a_failed_confirmation_of_poll_close_says_it_is_closed"),
    ),
    RestCall(
        "poll-results-deferral",
        f"{CALLBACK} (type 5)",
        (("cogs/polls/_cog.py", "PollCog.results", "interaction.response.defer"),),
        (f"{CALLS}[poll-results-deferral]",),
    ),
    RestCall(
        "vote-deferral",
        f"{CALLBACK} (type 5)",
        (("cogs/polls/_voting.py", "VoteService.click", "interaction.response.defer"),),
        (f"{VOTES}[deferral]",),
    ),
    RestCall(
        "poll-close-edit",
        "PATCH /channels/{channel}/messages/{message}",
        (
            (
                "cogs/polls/_closing.py",
                "PollClosing.deliver_closing",
                f"channel.get_partial_message({MESSAGE_ID}).edit",
            ),
        ),
        (SCHEDULED + "test_a_fault_disabling_the_buttons_at_close_is_retried_until_done",),
    ),
    RestCall(
        "poll-results-post",
        MESSAGES,
        (("cogs/polls/_closing.py", "PollClosing.deliver_closing", "channel.send"),),
        (SCHEDULED + "test_a_fault_posting_the_results_is_shown_to_facilitators_and_retried_once",),
    ),
    RestCall(
        "closing-soon-post",
        MESSAGES,
        (("cogs/polls/_closing.py", "PollClosing.post_closing_soon", "self._channel(poll).send"),),
        (SCHEDULED + "test_a_fault_posting_the_closing_soon_notice_is_retried_once",),
    ),
    # --- themes and discuss
    RestCall(
        "rationale-form",
        f"{CALLBACK} (type 9)",
        (("cogs/themes/_cog.py", "ThemeCog.position", "interaction.response.send_modal"),),
        (f"{ANSWERS}[form]",),
    ),
    RestCall(
        "tally-deferral",
        f"{CALLBACK} (type 5)",
        (("cogs/themes/_cog.py", "ThemeCog.tally", "interaction.response.defer"),),
        (f"{ANSWERS}[deferral]",),
    ),
    RestCall(
        "page-turn",
        f"{CALLBACK} (type 7)",
        (("cogs/themes/_cog.py", "ThemeCog.turn_page", "interaction.response.edit_message"),),
        (f"{ANSWERS}[page-turn]",),
    ),
    RestCall(
        "discuss-reaction",
        f"{CALLBACK} (type 7)",
        (("cogs/themes/_discuss.py", "DiscussService.react", "interaction.response.edit_message"),),
        (f"{CALLS}[discuss-reaction]",),
    ),
    # --- digests
    RestCall(
        "digest-preview-deferral",
        f"{CALLBACK} (type 5)",
        (("cogs/digests/_cog.py", "DigestCog.preview", "interaction.response.defer"),),
        (f"{CALLS}[digest-preview-deferral]",),
    ),
    RestCall(
        "digest-preview-part",
        f"{FOLLOW_UP} (with the chart)",
        (("cogs/digests/_cog.py", "DigestCog.preview", "interaction.followup.send"),),
        (f"{CALLS}[digest-preview-part]",),
    ),
    RestCall(
        "digest-post-deferral",
        f"{CALLBACK} (type 5)",
        (("cogs/digests/_cog.py", "DigestCog.post", "interaction.response.defer"),),
        (f"{CALLS}[digest-post-deferral]", POSTING + "test_a_failed_confirmation_of_digest_post_says_it_was_posted"),
    ),
    RestCall(
        "repost-question-read-back",
        f"GET {ORIGINAL}",
        (("cogs/digests/_cog.py", "DigestCog.post", "interaction.original_response"),),
        (f"{CALLS}[repost-question-read-back]",),
    ),
    RestCall(
        "repost-confirmed",
        f"{CALLBACK} (type 7)",
        (("cogs/digests/_confirm.py", "RepostConfirmation._confirm", "interaction.response.edit_message"),),
        (f"{CALLS}[repost-confirmed]",),
    ),
    RestCall(
        "repost-cancelled",
        f"{CALLBACK} (type 7)",
        (("cogs/digests/_confirm.py", "RepostConfirmation._cancel", "interaction.response.edit_message"),),
        (f"{CALLS}[repost-cancelled]",),
    ),
    RestCall(
        "repost-expired",
        f"PATCH {ORIGINAL}",
        (("cogs/digests/_confirm.py", "RepostConfirmation.on_timeout", "self.message.edit"),),
        (f"{CALLS}[repost-expired]",),
    ),
    RestCall(
        "digest-part",
        f"{MESSAGES} (with files, a nonce per part)",
        (("cogs/digests/_delivery.py", "DigestDelivery._send", "channel.send"),),
        (
            SCHEDULED + "test_a_fault_posting_a_digest_is_shown_to_organisers_and_retried_once",
            SCHEDULED + "test_a_fault_part_way_through_a_split_digest_resumes_without_reposting",
        ),
    ),
    # --- a member's own data
    RestCall(
        "erasure-answer",
        f"{CALLBACK} (type 7)",
        (("cogs/mydata.py", "MyDataService.answer", "interaction.response.edit_message"),),
        (f"{CALLS}[erasure-answer]",),
    ),
    # --- moderation
    RestCall(
        "report-form",
        f"{CALLBACK} (type 9)",
        (("cogs/moderation/_service.py", "ModerationService.open_report", "interaction.response.send_modal"),),
        (f"{CALLS}[report-form]",),
    ),
    RestCall(
        "hide-form",
        f"{CALLBACK} (type 9)",
        (("cogs/moderation/_service.py", "ModerationService.open_hide", "interaction.response.send_modal"),),
        (f"{CALLS}[hide-form]",),
    ),
    RestCall(
        "hide-deferral",
        f"{CALLBACK} (type 5)",
        (("cogs/moderation/_service.py", "ModerationService.act", "interaction.response.defer"),),
        (f"{CALLS}[hide-deferral]",),
    ),
    RestCall(
        "author-lookup",
        "GET /users/{user}",
        (("cogs/moderation/_service.py", "ModerationService._tell_author", "self.bot.fetch_user"),),
        (f"{CALLS}[hide-author-lookup]",),
    ),
    RestCall(
        "author-dm",
        f"POST /users/@me/channels, then {MESSAGES} (through post-once)",
        (),
        (f"{CALLS}[hide-author-dm-open]", f"{CALLS}[hide-author-dm]"),
        made_by="`ModerationService._tell_author`, through `send_reconciled` (discord.py opens the DM channel)",
    ),
)

# Calls the scan finds that are not calls to Discord (same method names), each with the reason.
NOT_REST: dict[Site, str] = {
    ("bot/app.py", "ConcordBot.on_ready", "self.scheduler.start"): "starts the bot's own scheduler",
    ("bot/scheduling.py", "TickScheduler.start", "self._scheduler.start"): "starts APScheduler",
    ("cogs/themes/_cog.py", "ThemeCog._build_group.discuss", "self.discussion.start"): "the discuss service",
    ("cogs/polls/_cog.py", "PollCog._theme_choices", "create.autocomplete"): "registers the autocomplete",
}
