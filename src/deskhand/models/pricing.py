"""Estimated cost of a model call, from list prices per million tokens.

These are published list prices (USD per million input / output tokens, standard tier, no caching,
batching or long-context surcharges) and only an estimate: providers change them, so budgets built on
them keep a margin. A model not in the table — every local or OpenAI-compatible model, and any family
newer than the table — costs 0; add it here when its price is published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskhand.models.messages import Usage


@dataclass(frozen=True, slots=True)
class Price:
    """USD per million tokens."""

    input_per_mtok: float
    output_per_mtok: float


# Keyed by model alias; dated snapshots ("claude-sonnet-4-5-20250929", "gpt-4o-2024-08-06") and
# "-latest" aliases are looked up by the alias they belong to.
_PRICES: dict[str, dict[str, Price]] = {
    "anthropic": {
        "claude-opus-4-6": Price(5.0, 25.0),
        "claude-opus-4-5": Price(5.0, 25.0),
        "claude-opus-4-1": Price(15.0, 75.0),
        "claude-opus-4-0": Price(15.0, 75.0),
        "claude-opus-4": Price(15.0, 75.0),
        "claude-sonnet-4-6": Price(3.0, 15.0),
        "claude-sonnet-4-5": Price(3.0, 15.0),
        "claude-sonnet-4-0": Price(3.0, 15.0),
        "claude-sonnet-4": Price(3.0, 15.0),
        "claude-3-7-sonnet": Price(3.0, 15.0),
        "claude-3-5-sonnet": Price(3.0, 15.0),
        "claude-haiku-4-5": Price(1.0, 5.0),
        "claude-3-5-haiku": Price(0.8, 4.0),
        "claude-3-haiku": Price(0.25, 1.25),
        "claude-3-opus": Price(15.0, 75.0),
    },
    "openai": {
        "gpt-5": Price(1.25, 10.0),
        "gpt-5-mini": Price(0.25, 2.0),
        "gpt-5-nano": Price(0.05, 0.40),
        "gpt-4.1": Price(2.0, 8.0),
        "gpt-4.1-mini": Price(0.40, 1.60),
        "gpt-4.1-nano": Price(0.10, 0.40),
        "gpt-4o": Price(2.50, 10.0),
        "gpt-4o-mini": Price(0.15, 0.60),
        "o3": Price(2.0, 8.0),
        "o3-mini": Price(1.10, 4.40),
        "o4-mini": Price(1.10, 4.40),
    },
}

_SNAPSHOT_SUFFIX = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)$")


def price_of(provider: str, model: str) -> Price | None:
    """The list price of ``model`` at ``provider``, or None when we do not know it."""
    table = _PRICES.get(provider, {})
    return table.get(model) or table.get(_SNAPSHOT_SUFFIX.sub("", model))


def estimate_cost_usd(provider: str, model: str, usage: Usage) -> float:
    """Estimated USD for one call; 0.0 for unknown and local models."""
    price = price_of(provider, model)
    if price is None:
        return 0.0
    return (usage.input_tokens * price.input_per_mtok + usage.output_tokens * price.output_per_mtok) / 1e6
