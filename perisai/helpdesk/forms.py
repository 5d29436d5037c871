from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .conf import MAX_TEXT
from .flows.definition import LANGUAGES, iter_texts
from .models import Urgency
from .nlu import INTENTS

TOKEN_PATTERN = r"^[A-Za-z0-9_\-]{20,64}$"  # noqa: S105 (a pattern, not a secret)


class ChatForm(forms.Form):
    """The web chat. The token (never a cookie, never in the URL) is the only key to the conversation."""

    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=MAX_TEXT * 10,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
    )
    option = forms.CharField(required=False, max_length=20)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def clean_token(self) -> str:
        import re

        value: str = self.cleaned_data.get("token") or ""
        return value if re.match(TOKEN_PATTERN, value) else ""

    def message(self) -> str:
        return str(self.cleaned_data.get("option") or self.cleaned_data.get("text") or "")

    def location(self) -> tuple[float, float] | None:
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        return (lat, lon) if lat is not None and lon is not None else None


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={"required": _("Write a message first.")},
    )


class OpenCaseForm(forms.Form):
    case_type = forms.ChoiceField(
        label=_("Kind of case"),
        choices=[
            ("violence", _("Violence")),
            ("trafficking", _("Trafficking")),
            ("wages", _("Wages")),
            ("recruitment_fraud", _("Recruitment fraud")),
            ("detention", _("Detention")),
            ("crisis_followup", _("Crisis follow-up")),
            ("reintegration", _("Reintegration")),
            ("death_abroad", _("Death abroad")),
        ],
    )


class QueueFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("All topics"))])
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("Any urgency")), *Urgency.choices]
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args: Any, topics: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = topics or {}
        self.fields["topic"].choices = [  # type: ignore[attr-defined]
            ("", _("All topics")),
            *[(i, labels.get(i, i)) for i in INTENTS if i != "greeting"],
        ]


class FlowTextsForm(forms.Form):
    """Every text of a flow in each language. Field names are "<path>|<language>"."""

    def __init__(self, *args: Any, definition: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[str]]] = []
        for path, label, texts in iter_texts(definition):
            names = []
            for language in LANGUAGES:
                name = f"{path}|{language}"
                self.fields[name] = forms.CharField(
                    label=f"{label} ({language})",
                    initial=texts.get(language, ""),
                    max_length=1500,
                    widget=forms.Textarea(attrs={"rows": 3, "lang": language}),
                    error_messages={"required": _("Both languages need a text.")},
                )
                names.append(name)
            self.groups.append((label, names))

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[name] for name in names]) for label, names in self.groups]

    def changed_texts(self) -> dict[tuple[str, str], str]:
        out = {}
        for name in self.changed_data:
            path, language = name.rsplit("|", 1)
            out[(path, language)] = self.cleaned_data[name]
        return out
