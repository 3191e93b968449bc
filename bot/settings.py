"""Configuration: config.toml, overridden by CONCORD_* environment variables; the token from DISCORD_TOKEN,
the secret ballots' server secret from CONCORD_BALLOT_KEY (else a key file beside the database, bot/ballot_key.py).

Every problem is reported as one ConfigError line that names the offending key, so a
misconfigured forum fails at start-up instead of halfway through the live session.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretBytes,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from bot.config_reading import (
    ENV_DELIMITER,
    ENV_PREFIX,
    ConfigError,
    EnvironmentSource,
    describe_environment_error,
    describe_validation_error,
    read_toml,
    reading_environment,
)
from bot.config_values import (
    DurationOrOff,
    FilePath,
    Integer,
    Moment,
    NoticeLead,
    PositiveDuration,
    Text,
    TimeZoneName,
    WeeklyOrOff,
    parse_secret,
)
from bot.forum import DEFAULT_THEMES, REGIONS, STAKEHOLDERS, Attribution
from bot.i18n import current_language
from bot.languages import DEFAULT as DEFAULT_LANGUAGE
from bot.languages import check_language
from bot.theme_translations import ThemeTranslation, shipped_translations
from bot.times import Weekly

COMMAND_NAME = re.compile(r"[a-z0-9_-]{1,32}")
RESERVED_COMMANDS = frozenset({"profile", "poll", "digest", "help"})
MAX_STANCES = 25
BALLOT_KEY_ENV = "CONCORD_BALLOT_KEY"

_toml_data: ContextVar[dict[str, Any] | None] = ContextVar("concord_toml_data", default=None)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: One of the six language keys (ar, en, es, fr, ru, zh).
Language = Annotated[Text, AfterValidator(check_language)]
Label = Annotated[Text, Field(min_length=1, max_length=100)]


class ForumSettings(_Section):
    """The forum's language: public messages (polls, results, digests), and replies when nothing else decides."""

    language: Language = DEFAULT_LANGUAGE


class DiscordSettings(_Section):
    guild_id: Integer = Field(default=0, ge=0, le=2**63 - 1)  # 0: sync commands globally
    facilitator_role: Text = Field(default="Facilitator", min_length=1, max_length=100)  # Discord's role names
    organiser_role: Text = Field(default="Organiser", min_length=1, max_length=100)


class DatabaseSettings(_Section):
    path: FilePath = Path("concord.db")

    @field_validator("path")
    @classmethod
    def _a_file(cls, value: Path) -> Path:
        if value.is_dir():
            raise ValueError(f"{str(value)!r} is a folder; give the database file's path, e.g. concord.db")
        return value


class SessionSettings(_Section):
    title: Text = "Open Forum on Enhanced Cooperation"
    starts_at: Moment = datetime.fromisoformat("2012-11-08T09:00:00+04:00")
    ends_at: Moment = datetime.fromisoformat("2012-11-08T10:30:00+04:00")
    timezone: TimeZoneName = "Asia/Baku"

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None and value <= starts_at:
            raise ValueError(f"must be after starts_at ({starts_at.isoformat()})")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class PrivacySettings(_Section):
    attribution: Attribution = Attribution.CHATHAM_HOUSE
    # Under the Chatham House rule, a group (or region) with fewer participants in a theme is merged into
    # "Other" and never named (bot/core/privacy.py); polls merge groups with fewer voters whatever the rule.
    min_group: Integer = Field(default=3, ge=1)


class ProfileSettings(_Section):
    """Which groups this forum expects to hear from; digests name the ones still missing."""

    expected_stakeholders: tuple[Text, ...] = tuple(STAKEHOLDERS)
    expected_regions: tuple[Text, ...] = tuple(REGIONS)

    @field_validator("expected_stakeholders")
    @classmethod
    def _known_stakeholders(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_known(value, STAKEHOLDERS, "stakeholder")

    @field_validator("expected_regions")
    @classmethod
    def _known_regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_known(value, REGIONS, "region")


class PollSettings(_Section):
    closing_soon: NoticeLead = timedelta(hours=1)  # 0 or "off": no closing-soon notice


class DigestSettings(_Section):
    """When digests fall due: lead before the session, delay after it, a weekly time, and how late is too late."""

    before: DurationOrOff = timedelta(hours=24)  # 0: at the start
    after: DurationOrOff = timedelta(hours=24)  # 0: at the end
    weekly: WeeklyOrOff = Weekly(0, time(9, 0))
    timezone: TimeZoneName | None = None
    grace: PositiveDuration = timedelta(hours=12)
    language: Language | None = None  # None: the forum's


def _translated(translations: dict[str, str], fallback: str) -> str | None:
    """The text in the current language, else in the forum's (`fallback`), else None (the base text)."""
    return translations.get(current_language()) or translations.get(fallback)


class StanceConfig(_Section):
    """A stance: `label` is the base text; `labels = { fr = "..." }` its translations. Reading `.label` gives
    the label in the language of the current context (else the forum's, else the base text)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    key: Text
    base_label: Label = Field(alias="label")
    labels: dict[Language, Label] = Field(default_factory=dict)
    _fallback: str = PrivateAttr(default=DEFAULT_LANGUAGE)

    @field_validator("key")
    @classmethod
    def _choice_name(cls, value: str) -> str:
        return _check_name(value, "stance key")

    @property
    def label(self) -> str:
        return _translated(self.labels, self._fallback) or self.base_label


class ThemeTextConfig(_Section):
    """A theme's texts in one language (`[themes.translations.fr]`); what it leaves out falls back."""

    title: Text | None = Field(default=None, min_length=1, max_length=100)
    question: Text | None = Field(default=None, min_length=1, max_length=1000)
    context: Text | None = Field(default=None, max_length=1500)


class ThemeConfig(_Section):
    """A theme: `title`, `question` and `context` are the base texts, `translations` their translations by
    language. Reading `.title`, `.question` or `.context` gives the text in the language of the current
    context (else the forum's, else the base text, never a key)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    slug: Text
    base_title: Text = Field(alias="title", min_length=1, max_length=100)
    base_question: Text = Field(alias="question", min_length=1, max_length=1000)
    base_context: Text = Field(default="", alias="context", max_length=1500)
    translations: dict[Language, ThemeTextConfig] = Field(default_factory=dict)
    stances: tuple[StanceConfig, ...]
    _fallback: str = PrivateAttr(default=DEFAULT_LANGUAGE)

    @field_validator("slug")
    @classmethod
    def _command_name(cls, value: str) -> str:
        _check_name(value, "theme slug")
        if value in RESERVED_COMMANDS:
            raise ValueError(f"{value!r} is already a Concord command; choose another slug")
        return value

    @field_validator("stances")
    @classmethod
    def _stance_count(cls, value: tuple[StanceConfig, ...]) -> tuple[StanceConfig, ...]:
        if not 2 <= len(value) <= MAX_STANCES:
            raise ValueError(f"needs between 2 and {MAX_STANCES} stances, got {len(value)}")
        for what in ("key", "base_label"):  # two equal labels could not be told apart in the stance menu
            names = [getattr(stance, what) for stance in value]
            duplicates = sorted({name for name in names if names.count(name) > 1})
            if duplicates:
                raise ValueError(f"duplicate stance {what.removeprefix('base_')}(s): {', '.join(duplicates)}")
        return value

    def _text(self, name: str) -> str | None:
        found = {lang: text for lang, texts in self.translations.items() if (text := getattr(texts, name))}
        return _translated(found, self._fallback)

    @property
    def title(self) -> str:
        return self._text("title") or self.base_title

    @property
    def question(self) -> str:
        return self._text("question") or self.base_question

    @property
    def context(self) -> str:
        return self._text("context") or self.base_context

    def stance(self, key: str) -> StanceConfig | None:
        return next((stance for stance in self.stances if stance.key == key), None)

    def label(self, key: str) -> str:
        found = self.stance(key)
        return found.label if found else key

    def in_forum(self, forum_language: str, shipped: dict[str, dict[str, ThemeTranslation]]) -> ThemeConfig:
        """This theme with the shipped translations of a default theme whose English it keeps, under the
        configuration's own, falling back to `forum_language`."""
        default = next((theme for theme in DEFAULT_THEMES if theme["slug"] == self.slug), None)
        theme = self if default is None else _with_shipped(self, default, shipped)
        theme._fallback = forum_language
        for stance in theme.stances:
            stance._fallback = forum_language
        return theme


def _with_shipped(
    theme: ThemeConfig, default: dict[str, Any], shipped: dict[str, dict[str, ThemeTranslation]]
) -> ThemeConfig:
    """The shipped translations apply text by text where the theme's base text is the default's (English)."""
    kept = {
        name for name in ("title", "question", "context") if getattr(theme, f"base_{name}") == default.get(name, "")
    }
    default_labels = {stance["key"]: stance["label"] for stance in default["stances"]}
    kept_labels = {s.key for s in theme.stances if default_labels.get(s.key) == s.base_label}
    translations: dict[str, dict[str, str]] = {}
    labels: dict[str, dict[str, str]] = {stance.key: {} for stance in theme.stances}
    english = {name: getattr(theme, f"base_{name}") for name in kept if getattr(theme, f"base_{name}")}
    for lang in {*shipped, *theme.translations, DEFAULT_LANGUAGE}:
        found = shipped.get(lang, {}).get(theme.slug, ThemeTranslation())
        texts = english if lang == DEFAULT_LANGUAGE else {k: v for k, v in found.texts.items() if k in kept}
        own = theme.translations.get(lang)
        merged = {**texts, **(own.model_dump(exclude_none=True) if own else {})}
        if merged:
            translations[lang] = merged
        for stance in theme.stances:
            if stance.key in kept_labels:
                text = stance.base_label if lang == DEFAULT_LANGUAGE else found.stances.get(stance.key)
                if text:
                    labels[stance.key][lang] = text
    stances = tuple(
        stance.model_copy(update={"labels": {**labels[stance.key], **stance.labels}}) for stance in theme.stances
    )
    return theme.model_copy(
        update={
            "translations": {lang: ThemeTextConfig(**texts) for lang, texts in translations.items()},
            "stances": stances,
        }
    )


def _ballot_key_from_environment() -> SecretBytes | None:
    text = os.environ.get(BALLOT_KEY_ENV)
    if not text:
        return None
    try:
        return SecretBytes(parse_secret(text))
    except ValueError as exc:  # the message never repeats the value
        raise ConfigError(f"config: {BALLOT_KEY_ENV}: {exc}") from None


def _check_name(value: str, what: str) -> str:
    if not COMMAND_NAME.fullmatch(value):
        raise ValueError(
            f"{what} {value!r} is not a valid Discord command/choice name "
            "(1-32 characters: lowercase letters, digits, '-' or '_')"
        )
    return value


def _check_known(value: tuple[str, ...], known: tuple[str, ...], what: str) -> tuple[str, ...]:
    unknown = [key for key in value if key not in known]
    if unknown:
        raise ValueError(f"unknown {what} key(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return value


def _default_themes() -> tuple[ThemeConfig, ...]:
    return tuple(ThemeConfig.model_validate(theme) for theme in DEFAULT_THEMES)


class _TomlSource(PydanticBaseSettingsSource):
    """Feeds the TOML read by Settings.load, at a lower priority than the environment."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return _toml_data.get() or {}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter=ENV_DELIMITER, extra="forbid", frozen=True
    )

    discord: DiscordSettings = DiscordSettings()
    database: DatabaseSettings = DatabaseSettings()
    session: SessionSettings = SessionSettings()
    forum: ForumSettings = ForumSettings()
    privacy: PrivacySettings = PrivacySettings()
    profiles: ProfileSettings = ProfileSettings()
    polls: PollSettings = PollSettings()
    digest: DigestSettings = DigestSettings()
    themes: tuple[ThemeConfig, ...] = Field(default_factory=_default_themes)
    token: SecretStr | None = Field(default=None, exclude=True, repr=False)
    #: The server secret of secret ballots, from CONCORD_BALLOT_KEY only; None: the key file beside the database.
    ballot_key: SecretBytes | None = Field(default=None, exclude=True, repr=False)

    @field_validator("themes")
    @classmethod
    def _themes(cls, value: tuple[ThemeConfig, ...], info: ValidationInfo) -> tuple[ThemeConfig, ...]:
        if not value:
            value = _default_themes()
        slugs = [theme.slug for theme in value]
        duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if duplicates:
            raise ValueError(f"duplicate theme slug(s): {', '.join(duplicates)}")
        forum = info.data.get("forum")
        forum_language = forum.language if isinstance(forum, ForumSettings) else DEFAULT_LANGUAGE
        try:
            shipped = shipped_translations()
        except ValueError as exc:
            raise ValueError(f"the shipped translations: {exc}") from None
        return tuple(theme.in_forum(forum_language, shipped) for theme in value)

    @property
    def digest_language(self) -> str:
        """The language digests are written in: `[digest] language`, else the forum's."""
        return self.digest.language or self.forum.language

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        environment = EnvironmentSource(settings_cls, env_prefix=ENV_PREFIX, env_nested_delimiter=ENV_DELIMITER)
        return (init_settings, environment, _TomlSource(settings_cls))

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> Settings:
        """Read `path` (None: defaults only) and the environment; raise ConfigError on any problem."""
        data = read_toml(Path(path)) if path is not None else {}
        section = data.get("discord")
        for forbidden in ("token", "discord_token", "DISCORD_TOKEN"):
            if forbidden in data or (isinstance(section, dict) and forbidden in section):
                raise ConfigError(
                    f"config: {forbidden}: the bot token is read only from the DISCORD_TOKEN environment "
                    "variable; remove it from the file"
                )
        for forbidden in ("ballot_key", BALLOT_KEY_ENV):
            if forbidden in data:
                raise ConfigError(
                    f"config: {forbidden}: the ballot key is read only from the {BALLOT_KEY_ENV} environment "
                    "variable or its key file beside the database; remove it from the file"
                )
        ballot_key = _ballot_key_from_environment()
        reset = _toml_data.set(data)
        try:
            with reading_environment():
                try:
                    token = os.environ.get("DISCORD_TOKEN") or None
                    return cls(**overrides, token=SecretStr(token) if token else None, ballot_key=ballot_key)
                except ValidationError as exc:
                    raise ConfigError(describe_validation_error(exc)) from None
                except SettingsError as exc:  # an environment value that is not JSON for a list or a table
                    raise ConfigError(describe_environment_error(exc)) from None
        finally:
            _toml_data.reset(reset)

    def theme(self, slug: str) -> ThemeConfig | None:
        return next((theme for theme in self.themes if theme.slug == slug), None)
