"""Checking a flow definition before it is saved or published. Pure Python.

A definition is JSON: ``{"schema": 1, "start", "settings", "commands", "yes_words", "no_words", "texts",
"topics", "nodes"}``. `validate` returns every problem at once as plain English sentences for the log
and the editor (the editor shows them beside the field); an empty list means the flow can run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from .engine import _PLACEHOLDER, WAITING_TYPES

__all__ = [
    "ACTIONS",
    "CASE_TYPES",
    "COMMANDS",
    "DEFAULT_FLOW_PATH",
    "LANGUAGES",
    "NODE_TYPES",
    "PLACEHOLDERS",
    "URGENCIES",
    "iter_texts",
    "load_default",
    "set_text",
    "validate",
]

LANGUAGES: Final[tuple[str, ...]] = ("id", "en")
NODE_TYPES: Final[frozenset[str]] = frozenset(
    {"message", "menu", "wait", "route", "action", "handoff", "end"}
)
ACTIONS: Final[frozenset[str]] = frozenset(
    {"nearest_mission", "resolve_place", "emergency", "share_location", "open_case"}
)
COMMANDS: Final[tuple[str, ...]] = ("emergency", "human", "stop", "erase", "menu")
OPTIONAL_COMMANDS: Final[tuple[str, ...]] = ("language_en", "language_id")
URGENCIES: Final[tuple[str, ...]] = ("emergency", "high", "normal")
CASE_TYPES: Final[tuple[str, ...]] = (
    "violence",
    "trafficking",
    "wages",
    "recruitment_fraud",
    "detention",
    "crisis_followup",
    "reintegration",
    "death_abroad",
)
END_MODES: Final[tuple[str, ...]] = ("close", "stop", "erase")
# Values the runtime puts in `vars`; a text may use only these placeholders.
PLACEHOLDERS: Final[frozenset[str]] = frozenset(
    {
        "topic",
        "country_name",
        "mission",
        "mission_line",
        "emergency_numbers",
        "police",
        "ambulance",
        "place",
        "case_code",
        "phone",
        "website",
    }
)
REQUIRED_TEXTS: Final[tuple[str, ...]] = (
    "confirm",
    "rephrase",
    "handoff_ack",
    "option_yes",
    "option_no",
    "label_police",
    "label_ambulance",
    "label_fire",
    "label_general",
    "mission_line_phone",
    "mission_line_website",
    "mission_line_name",
)
DEFAULT_FLOW_PATH: Final[Path] = Path(__file__).resolve().parent / "data" / "main.json"


def load_default() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEFAULT_FLOW_PATH.read_text(encoding="utf-8"))
    return data


def _bilingual(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{where}: must be an object with a text for each language ({', '.join(LANGUAGES)})")
        return
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: the {language} text is missing")
            continue
        if len(text) > 1500:
            problems.append(f"{where}: the {language} text is longer than 1500 characters")
        unknown = set(_PLACEHOLDER.findall(text)) - PLACEHOLDERS
        if unknown:
            problems.append(f"{where}: unknown placeholder {{{sorted(unknown)[0]}}} in the {language} text")
    extra = set(value) - set(LANGUAGES)
    if extra:
        problems.append(f"{where}: unknown language {sorted(extra)[0]!r}")


def validate(definition: Any) -> list[str]:
    """Every problem of the definition, or [] when it can run."""
    problems: list[str] = []
    if not isinstance(definition, Mapping):
        return ["the definition must be a JSON object"]
    if definition.get("schema") != 1:
        problems.append("schema: must be 1")
    nodes = definition.get("nodes")
    if not isinstance(nodes, Mapping) or not nodes:
        return [*problems, "nodes: at least one node is needed"]
    names = set(nodes)

    def target(value: Any, where: str) -> None:
        if not isinstance(value, str) or value not in names:
            problems.append(f"{where}: points to {value!r}, which is not a node")

    target(definition.get("start"), "start")
    settings = definition.get("settings", {})
    if not isinstance(settings, Mapping):
        problems.append("settings: must be an object")
        settings = {}
    for key in ("min_confidence", "guess_confidence"):
        value = settings.get(key, 0.5)
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            problems.append(f"settings.{key}: must be a number from 0 to 1")
    target(settings.get("fallback_human"), "settings.fallback_human")
    if settings.get("followup") is not None:
        target(settings.get("followup"), "settings.followup")

    commands = definition.get("commands", {})
    if not isinstance(commands, Mapping):
        commands = {}
        problems.append("commands: must be an object")
    seen_words: dict[str, str] = {}
    for name in (*COMMANDS, *OPTIONAL_COMMANDS):
        spec = commands.get(name)
        if spec is None:
            if name in COMMANDS:
                problems.append(f"commands.{name}: missing")
            continue
        words = spec.get("words") if isinstance(spec, Mapping) else None
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            problems.append(f"commands.{name}.words: at least one word is needed")
            words = []
        for word in words:
            key = word.strip().casefold()
            if key in seen_words and seen_words[key] != name:
                problems.append(f"commands.{name}: {word!r} is also a word of {seen_words[key]}")
            seen_words[key] = name
        if name not in ("language_en", "language_id"):
            target(spec.get("goto") if isinstance(spec, Mapping) else None, f"commands.{name}.goto")
    for name in set(commands) - {*COMMANDS, *OPTIONAL_COMMANDS}:
        problems.append(f"commands.{name}: unknown command")
    for key in ("stop", "erase"):
        goto = commands.get(key, {}).get("goto") if isinstance(commands.get(key), Mapping) else None
        mode = nodes.get(goto, {}).get("mode") if isinstance(goto, str) else None
        if isinstance(goto, str) and goto in names and mode != key:
            problems.append(f"commands.{key}.goto: must be an end node with mode {key!r}")

    for key in ("yes_words", "no_words"):
        value = definition.get(key)
        if not isinstance(value, list) or not value:
            problems.append(f"{key}: at least one word is needed")

    texts = definition.get("texts", {})
    if not isinstance(texts, Mapping):
        texts = {}
        problems.append("texts: must be an object")
    for key in REQUIRED_TEXTS:
        if key not in texts:
            problems.append(f"texts.{key}: missing")
    for key, value in texts.items():
        _bilingual(value, f"texts.{key}", problems)

    topics = definition.get("topics", {})
    if not isinstance(topics, Mapping):
        topics = {}
        problems.append("topics: must be an object")
    for name, spec in topics.items():
        if not isinstance(spec, Mapping):
            problems.append(f"topics.{name}: must be an object")
            continue
        _bilingual(spec.get("label"), f"topics.{name}.label", problems)
        if spec.get("urgency", "normal") not in URGENCIES:
            problems.append(f"topics.{name}.urgency: must be one of {', '.join(URGENCIES)}")
        case_type = spec.get("case_type", "")
        if case_type and case_type not in CASE_TYPES:
            problems.append(f"topics.{name}.case_type: must be one of {', '.join(CASE_TYPES)}")

    for name, node in nodes.items():
        where = f"nodes.{name}"
        if not isinstance(node, Mapping):
            problems.append(f"{where}: must be an object")
            continue
        kind = node.get("type")
        if kind not in NODE_TYPES:
            problems.append(f"{where}.type: must be one of {', '.join(sorted(NODE_TYPES))}")
            continue
        if kind in ("message", "menu", "wait", "handoff", "end"):
            _bilingual(node.get("text"), f"{where}.text", problems)
        if kind in ("message", "wait"):
            target(node.get("next"), f"{where}.next")
        if kind in WAITING_TYPES and node.get("timeout") is not None:
            timeout = node.get("timeout")
            if not isinstance(timeout, int) or timeout < 60:
                problems.append(f"{where}.timeout: must be a whole number of seconds, at least 60")
            target(node.get("timeout_next"), f"{where}.timeout_next")
        if kind == "menu":
            options = node.get("options")
            if not isinstance(options, list) or not options:
                problems.append(f"{where}.options: at least one option is needed")
                options = []
            keys: set[str] = set()
            for index, option in enumerate(options):
                owhere = f"{where}.options[{index}]"
                if not isinstance(option, Mapping):
                    problems.append(f"{owhere}: must be an object")
                    continue
                key = str(option.get("key", ""))
                if not key or key in keys:
                    problems.append(f"{owhere}.key: must be given and unique in the menu")
                keys.add(key)
                _bilingual(option.get("label"), f"{owhere}.label", problems)
                target(option.get("next"), f"{owhere}.next")
            if node.get("text_next") is not None:
                target(node.get("text_next"), f"{where}.text_next")
        if kind == "route":
            by = node.get("by", "intent")
            if by not in ("intent", "keyword", "var"):
                problems.append(f"{where}.by: must be intent, keyword or var")
            if by == "var" and not isinstance(node.get("var"), str):
                problems.append(f"{where}.var: name the variable to route on")
            routes = node.get("routes", {})
            if not isinstance(routes, Mapping):
                problems.append(f"{where}.routes: must be an object")
                routes = {}
            for key, value in routes.items():
                target(value, f"{where}.routes.{key}")
            if node.get("default") is not None:
                target(node.get("default"), f"{where}.default")
        if kind == "action":
            if node.get("action") not in ACTIONS:
                problems.append(f"{where}.action: must be one of {', '.join(sorted(ACTIONS))}")
            outcomes = node.get("outcomes", {})
            for key, value in outcomes.items() if isinstance(outcomes, Mapping) else []:
                target(value, f"{where}.outcomes.{key}")
            if node.get("next") is not None:
                target(node.get("next"), f"{where}.next")
            elif not outcomes:
                problems.append(f"{where}: needs next or outcomes")
        if kind == "handoff" and node.get("urgency", "normal") not in URGENCIES:
            problems.append(f"{where}.urgency: must be one of {', '.join(URGENCIES)}")
        if kind == "end" and node.get("mode", "close") not in END_MODES:
            problems.append(f"{where}.mode: must be one of {', '.join(END_MODES)}")
    if not problems:
        problems.extend(_cycles_without_wait(nodes))
    return problems


def _edges(node: Mapping[str, Any]) -> Iterator[str]:
    kind = node.get("type")
    if kind in WAITING_TYPES or kind == "end":
        return
    if node.get("next"):
        yield str(node["next"])
    if kind == "route":
        yield from (str(v) for v in node.get("routes", {}).values())
        if node.get("default"):
            yield str(node["default"])
    if kind == "action":
        yield from (str(v) for v in node.get("outcomes", {}).values())


def _cycles_without_wait(nodes: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Nodes that do not wait must not form a cycle: the engine would go round without asking anything."""
    state: dict[str, int] = {}
    found: list[str] = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in _edges(nodes[name]):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [name, nxt]
                found.append("nodes: a cycle without a wait: " + " -> ".join(cycle))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[name] = 2

    for name in nodes:
        if name not in state:
            visit(name, [name])
    return found


def iter_texts(definition: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, str]]]:
    """Every editable text: (path, label for the editor, {language: text}). Paths are stable keys."""
    for key, value in definition.get("texts", {}).items():
        yield f"texts.{key}", key, value
    for key, spec in definition.get("topics", {}).items():
        yield f"topics.{key}.label", f"topic {key}", spec["label"]
    for name, node in definition.get("nodes", {}).items():
        if "text" in node:
            yield f"nodes.{name}.text", name, node["text"]
        for index, option in enumerate(node.get("options", [])):
            yield f"nodes.{name}.options.{index}.label", f"{name} / {option['key']}", option["label"]


def set_text(definition: dict[str, Any], path: str, language: str, text: str) -> None:
    """Change one text in place, found by the path `iter_texts` gives."""
    parts = path.split(".")
    node: Any = definition
    for part in parts:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[language] = text
