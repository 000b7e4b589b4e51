"""deskhand.models: the ChatModel seam, its provider adapters and the scripted model.

Importing this package loads no provider SDK: adapters (and ``anthropic`` / ``openai``) are imported only
when :func:`model_from_spec` chooses them.
"""

from deskhand.models.base import ChatModel
from deskhand.models.config import configured_model_spec, model_from_spec, parse_model_spec
from deskhand.models.messages import (
    AssistantMessage,
    Message,
    ModelReply,
    ToolCall,
    ToolResultMessage,
    ToolSpec,
    Usage,
    UserMessage,
)
from deskhand.models.scripted import ScriptedModel

__all__ = [
    "AssistantMessage",
    "ChatModel",
    "Message",
    "ModelReply",
    "ScriptedModel",
    "ToolCall",
    "ToolResultMessage",
    "ToolSpec",
    "Usage",
    "UserMessage",
    "configured_model_spec",
    "model_from_spec",
    "parse_model_spec",
]
