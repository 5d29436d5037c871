"""The conversation engine: runs one inbound message through a flow definition (data, not code).

Pure Python: it imports nothing from Django. The definition is validated by `definition.validate`; the
engine only reads it. Everything with a side effect (classifying text, finding a mission, opening a case,
handing off) is asked of a `Runtime`, so the engine is tested and benchmarked alone.

Node types:
- ``message``  send a text, go on to ``next``
- ``menu``     send a text with numbered options and wait; an answer that is no option goes to ``text_next``
               (usually a ``route``) or to the two-stage fallback
- ``wait``     send a text and wait for free text or a location (``ask_location``), then go to ``next``;
               ``timeout`` seconds later the next message first goes through ``timeout_next``
- ``route``    choose the next node by ``intent`` (of the message just received), ``keyword`` or ``var``
- ``action``   ask the runtime to do something; its outcome picks the next node from ``outcomes``
- ``handoff``  a human takes over: the runtime queues the conversation; the bot stays quiet except for
               global commands and a danger signal
- ``end``      send a text and end the conversation (``mode``: close, stop or erase)

Global commands (``commands``: emergency, human, stop, erase, menu, language_en, language_id) beat the
current node, and a message the classifier flags as an emergency jumps to the emergency node from
anywhere, except where the conversation is already an emergency.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Final, Protocol

__all__ = [
    "MAX_STEPS",
    "WAITING_TYPES",
    "ActionResult",
    "Engine",
    "FlowError",
    "Inbound",
    "Option",
    "Outcome",
    "Reply",
    "Runtime",
    "State",
    "Understanding",
    "normalise_command",
    "normalise_defined",
    "render",
]

MAX_STEPS: Final[int] = 40  # nodes run for one message at most (a cycle without a wait is a flow bug)
WAITING_TYPES: Final[frozenset[str]] = frozenset({"menu", "wait", "handoff"})
NOT_UNDERSTOOD: Final[frozenset[str]] = frozenset({"other", "greeting"})


class FlowError(RuntimeError):
    """The flow definition cannot be run (a validated definition never raises this)."""


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message from the bot. Options are also written into the text, so every channel can show them."""

    text: str
    options: tuple[Option, ...] = ()
    ask_location: bool = False

    def as_text(self) -> str:
        if not self.options:
            return self.text
        return self.text + "\n" + "\n".join(f"{o.key}. {o.label}" for o in self.options)


@dataclass
class State:
    """Where a conversation is. `vars` hold structured values only (country, topic...), never free text."""

    node: str = ""
    vars: dict[str, str] = field(default_factory=dict)
    language: str = "id"
    fallback: int = 0  # 0: none; 1: asked to confirm a guess; 2: asked to rephrase
    guess: str = ""  # the node the confirmed guess leads to
    guess_topic: str = ""


@dataclass(frozen=True)
class Inbound:
    text: str = ""
    location: tuple[float, float] | None = None
    timed_out: bool = False  # the current node's wait expired before this message came


@dataclass(frozen=True)
class Understanding:
    intent: str
    confidence: float
    emergency: bool


@dataclass(frozen=True)
class ActionResult:
    outcome: str = "ok"
    vars: Mapping[str, str] = field(default_factory=dict)


class Runtime(Protocol):
    def understand(self, text: str) -> Understanding: ...

    def act(self, action: str, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult: ...


@dataclass
class Outcome:
    replies: list[Reply]
    state: State
    intent: str = ""  # what the message was understood as, when it was classified
    command: str = ""  # the global command the message was, if any
    wait_seconds: int | None = None  # the waiting node times out after this long
    closed: bool = False


_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def normalise_command(text: str) -> str:
    """Lower case, accents and punctuation (and emoji) removed, spaces collapsed: "Tolong!!" -> "tolong"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _PUNCT.sub(" ", folded)).strip()


@lru_cache(maxsize=4096)
def normalise_defined(text: str) -> str:
    """normalise_command for the words of a flow definition (options, commands, keywords), remembered: they
    are the same few hundred strings on every message. Never for what a person wrote (nothing keeps that)."""
    return normalise_command(text)


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill {placeholders} from values (missing ones become empty) and tidy the spaces left behind."""
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.splitlines()]
    return "\n".join(lines).strip()


class Engine:
    """Runs one message. Create one per message: it collects the replies of that message."""

    def __init__(self, definition: Mapping[str, Any], runtime: Runtime) -> None:
        self.definition = definition
        self.nodes: Mapping[str, Mapping[str, Any]] = definition["nodes"]
        self.runtime = runtime
        self.replies: list[Reply] = []
        self.state = State()
        self.current = Inbound()
        self.understood: Understanding | None = None
        self.understood_text: str | None = None
        self.steps = 0
        self.closed = False

    # ---- public ----

    def handle(self, state: State, inbound: Inbound) -> Outcome:
        self.state = replace(state, vars=dict(state.vars))
        self.current = inbound
        text = inbound.text.strip()
        command = self.command_for(text) if text and inbound.location is None else ""
        if command:
            self._command(command)
        elif not self.state.node:
            self._start(inbound)
        else:
            node = self.nodes.get(self.state.node)
            if node is None:  # the node was removed in a later version: start again
                self.state.node = ""
                self._start(inbound)
            elif inbound.timed_out and node.get("timeout_next"):
                self.state.fallback = 0
                self._goto(str(node["timeout_next"]), pending=inbound)
            else:
                self._input(inbound)
        return self._outcome(command)

    def command_for(self, text: str) -> str:
        """The global command a message is, or "" ("Tolong!" is one; "tolong bantu saya" is not)."""
        said = normalise_command(text)
        if not said or len(said) > 40:
            return ""
        for name, spec in self.definition.get("commands", {}).items():
            if said in {normalise_defined(w) for w in spec.get("words", [])}:
                return str(name)
        return ""

    # ---- steps ----

    def _outcome(self, command: str) -> Outcome:
        wait: int | None = None
        node = self.nodes.get(self.state.node) if self.state.node else None
        if node is not None and node.get("timeout"):
            wait = int(node["timeout"])
        intent = self.understood.intent if self.understood is not None else ""
        return Outcome(
            replies=self.replies,
            state=self.state,
            intent=intent,
            command=command,
            wait_seconds=wait,
            closed=self.closed,
        )

    def _command(self, name: str) -> None:
        self.state.fallback = 0
        if name in ("language_en", "language_id"):
            self.state.language = "en" if name == "language_en" else "id"
            if self.state.node and self.state.node in self.nodes:
                self._prompt(self.state.node)
                return
            self._goto(str(self.definition["start"]))
            return
        target = str(self.definition["commands"][name]["goto"])
        self._goto(target)

    def _start(self, inbound: Inbound) -> None:
        text = inbound.text.strip()
        understood = self._understand(text) if text else None
        if understood is not None and understood.emergency:
            self._goto(self._emergency_node(), pending=None)
            return
        meaningful = inbound.location is not None or (
            understood is not None and understood.intent != "greeting" and not self._trivial(text)
        )
        self._goto(str(self.definition["start"]), pending=inbound if meaningful else None)

    def _trivial(self, text: str) -> bool:
        return len(normalise_command(text)) < 2

    def _emergency_node(self) -> str:
        return str(self.definition["commands"]["emergency"]["goto"])

    def _in_emergency(self) -> bool:
        return self.state.vars.get("urgency") == "emergency"

    def _understand(self, text: str) -> Understanding:
        if self.understood is None or self.understood_text != text:
            self.understood = self.runtime.understand(text)
            self.understood_text = text
        return self.understood

    def _input(self, inbound: Inbound) -> None:
        """Feed the message to the node that is waiting for it."""
        self.current = inbound
        node_id = self.state.node
        node = self.nodes[node_id]
        kind = node["type"]
        text = inbound.text.strip()
        if self.state.fallback == 1 and kind != "handoff":
            self._confirm_answer(node_id, inbound)
            return
        if kind == "handoff":
            if text and not self._in_emergency() and self._understand(text).emergency:
                self._goto(self._emergency_node())
                return
            if self.state.vars.get("acked") != "1":
                self.state.vars["acked"] = "1"
                self._say_text("handoff_ack")
            return
        if kind == "menu":
            option = self._match_option(node, text)
            if option is not None:
                self.state.fallback = 0
                self.state.vars.update({str(k): str(v) for k, v in option.get("set", {}).items()})
                self._goto(str(option["next"]))
                return
            if not text and inbound.location is None:
                self._prompt(node_id)
                return
            if text and not self._in_emergency() and self._understand(text).emergency:
                self._goto(self._emergency_node())
                return
            if node.get("text_next"):
                self._goto(str(node["text_next"]))
                return
            self._fallback(node_id)
            return
        # wait
        escalate = text and not self._in_emergency() and not node.get("no_escalation")
        if escalate and self._understand(text).emergency:
            self._goto(self._emergency_node())
            return
        if not text and inbound.location is None:
            self._prompt(node_id)
            return
        self._goto(str(node["next"]))

    def _goto(self, node_id: str, pending: Inbound | None = None) -> None:
        """Run nodes from node_id until one waits for the person (or the conversation ends)."""
        next_id: str | None = node_id
        while next_id:
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise FlowError(f"more than {MAX_STEPS} nodes for one message (a cycle without a wait?)")
            node = self.nodes.get(next_id)
            if node is None:
                raise FlowError(f"no node {next_id!r}")
            for key, value in node.get("set", {}).items():
                self.state.vars[str(key)] = str(value)
            kind = node["type"]
            if kind == "message":
                self._say(node)
                next_id = node.get("next")
                continue
            if kind == "action":
                result = self.runtime.act(
                    str(node["action"]), node.get("params", {}), self.state, self.current
                )
                self.state.vars.update({str(k): str(v) for k, v in result.vars.items()})
                next_id = node.get("outcomes", {}).get(result.outcome) or node.get("next")
                continue
            if kind == "route":
                next_id = self._route(node)
                continue
            if kind == "end":
                self._say(node)
                self.runtime.act("end", {"mode": node.get("mode", "close")}, self.state, self.current)
                self.state.node = ""
                self.state.vars = {}
                self.state.fallback = 0
                self.closed = True
                return
            if kind in WAITING_TYPES:
                self.state.node = next_id
                if kind == "handoff":
                    params = {k: node[k] for k in ("urgency", "topic") if k in node}
                    result = self.runtime.act("handoff", params, self.state, self.current)
                    self.state.vars.update({str(k): str(v) for k, v in result.vars.items()})
                    self.state.vars["acked"] = ""
                    self._say(node)
                    return
                if pending is not None:
                    self._input(pending)
                    return
                self._prompt(next_id)
                return
            raise FlowError(f"unknown node type {kind!r}")

    def _route(self, node: Mapping[str, Any]) -> str | None:
        by = node.get("by", "intent")
        routes: Mapping[str, str] = node.get("routes", {})
        text = self.current.text.strip()
        default: str | None = node.get("default")
        if by == "var":
            value = self.state.vars.get(str(node["var"]), "")
            return routes.get(value) or (routes.get("*") if value else None) or default
        if by == "keyword":
            said = f" {normalise_command(text)} "
            for word, goal in routes.items():
                if f" {normalise_defined(word)} " in said:
                    return goal
            return default
        # by intent
        if not text:
            if default:
                return default
            self._fallback(self.state.node)
            return None
        understood = self._understand(text)
        settings = self.definition.get("settings", {})
        sure = understood.confidence >= float(settings.get("min_confidence", 0.55))
        target: str | None = routes.get(understood.intent)
        if target == self.state.node:  # "back to this very menu" answers nothing: not understood
            target = None
        if target and (sure or understood.emergency) and understood.intent not in ("other",):
            self.state.fallback = 0
            if understood.intent not in NOT_UNDERSTOOD:
                self.state.vars["topic"] = understood.intent
            return target
        self._fallback(self.state.node, routes=routes)
        return None

    def _fallback(self, node_id: str, routes: Mapping[str, str] | None = None) -> None:
        """Not understood: first confirm the best guess, then ask to rephrase, then offer a human."""
        settings = self.definition.get("settings", {})
        understood = self.understood
        stage = self.state.fallback
        guess = ""
        if (
            routes
            and understood is not None
            and understood.intent not in NOT_UNDERSTOOD
            and understood.confidence >= float(settings.get("guess_confidence", 0.3))
        ):
            guess = understood.intent
        if stage == 0 and guess and routes:
            self.state.fallback = 1
            self.state.guess = routes[guess]
            self.state.guess_topic = guess
            topic = self._topic_label(guess)
            self._say_text("confirm", {"topic": topic}, options=self._yes_no())
            return
        if stage < 2:
            self.state.fallback = 2
            self.state.guess = ""
            self._say_text("rephrase")
            return
        self.state.fallback = 0
        self._goto(str(settings["fallback_human"]))

    def _confirm_answer(self, node_id: str, inbound: Inbound) -> None:
        said = normalise_command(inbound.text)
        if said in self._words("yes_words") or said == "1":
            target, topic = self.state.guess, self.state.guess_topic
            self.state.fallback, self.state.guess, self.state.guess_topic = 0, "", ""
            if topic:
                self.state.vars["topic"] = topic
            self._goto(target)
            return
        self.state.guess, self.state.guess_topic = "", ""
        if said in self._words("no_words") or said == "2" or not said:
            self.state.fallback = 2
            self._say_text("rephrase")
            return
        # a new description instead of yes/no: try it as a fresh answer to the node
        self.state.fallback = 2
        self._input(inbound)

    # ---- matching and saying ----

    def _words(self, key: str) -> set[str]:
        return {normalise_defined(w) for w in self.definition.get(key, [])}

    def _match_option(self, node: Mapping[str, Any], text: str) -> Mapping[str, Any] | None:
        said = normalise_command(text)
        if not said:
            return None
        options: list[Mapping[str, Any]] = list(node.get("options", []))
        for option in options:
            if said == normalise_defined(str(option["key"])):
                return option
        for option in options:
            labels = {normalise_defined(str(v)) for v in option["label"].values()}
            if said in labels:
                return option
        tokens = said.split()
        if len(tokens) <= 4:
            padded = f" {said} "
            for option in options:
                for word in option.get("keywords", []):
                    if f" {normalise_defined(str(word))} " in padded:
                        return option
        return None

    def _text(self, value: Mapping[str, str]) -> str:
        language = self.state.language
        return str(value.get(language) or value.get("id") or next(iter(value.values()), ""))

    def _topic_label(self, topic: str) -> str:
        spec = self.definition.get("topics", {}).get(topic, {})
        label = spec.get("label") if isinstance(spec, Mapping) else None
        return self._text(label) if label else topic

    def _yes_no(self) -> tuple[Option, ...]:
        texts = self.definition.get("texts", {})
        return (
            Option("1", self._text(texts.get("option_yes", {"id": "Ya", "en": "Yes"}))),
            Option("2", self._text(texts.get("option_no", {"id": "Tidak", "en": "No"}))),
        )

    def _say_text(
        self, key: str, extra: Mapping[str, str] | None = None, options: tuple[Option, ...] = ()
    ) -> None:
        template = self.definition.get("texts", {}).get(key)
        if not template:
            return
        values = {**self.state.vars, **(extra or {})}
        self.replies.append(Reply(render(self._text(template), values), options))

    def _say(self, node: Mapping[str, Any]) -> None:
        if "text" not in node:
            return
        text = render(self._text(node["text"]), self.state.vars)
        options: tuple[Option, ...] = ()
        if node["type"] == "menu":
            options = tuple(
                Option(str(o["key"]), render(self._text(o["label"]), self.state.vars))
                for o in node["options"]
            )
        if text or options:
            self.replies.append(Reply(text, options, ask_location=bool(node.get("ask_location"))))

    def _prompt(self, node_id: str) -> None:
        self._say(self.nodes[node_id])
