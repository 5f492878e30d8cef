"""Each connector's own configuration keys, checked without importing the connector's libraries."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReplayOptions(_Options):
    """A file or a folder of JSON-lines files (the replay format), read in name order."""

    path: Path
    platform: str = "facebook"  # used for lines that do not name their platform
    batch_size: int = Field(default=500, ge=1, le=10000)


class FacebookOptions(_Options):
    """A Facebook Page read through the Graph API."""

    page_id: str
    access_token: SecretStr
    graph_url: str = "https://graph.facebook.com/"
    api_version: str = "v23.0"
    streams: list[Literal["feed", "comments", "ratings", "conversations"]] = [
        "feed", "comments", "ratings", "conversations",
    ]
    timeout: float = Field(default=20.0, gt=0, le=300)
    allow_public_replies: bool = False


class TwitterOptions(_Options):
    """An X (Twitter) account read through API v2."""

    user_id: str | None = None
    handle: str | None = None
    bearer_token: SecretStr | None = None
    consumer_key: SecretStr | None = None
    consumer_secret: SecretStr | None = None
    access_token: SecretStr | None = None
    access_token_secret: SecretStr | None = None
    api_url: str = "https://api.twitter.com"
    streams: list[Literal["mentions", "replies", "own_posts", "direct_messages"]] = [
        "mentions", "replies", "own_posts", "direct_messages",
    ]
    daily_read_cap: int = Field(default=2000, ge=0)
    cost_per_read: float = Field(default=0.005, ge=0)
    timeout: float = Field(default=20.0, gt=0, le=300)

    @model_validator(mode="after")
    def _has_credentials(self) -> "TwitterOptions":
        user_keys = [self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret]
        if self.bearer_token is None and not all(user_keys):
            raise ValueError(
                "needs bearer_token, or all four of consumer_key, consumer_secret, access_token and access_token_secret"
            )
        return self
