from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .roles import ALL_CAPS


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The code has six digits."))
        return token


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(c, c) for c in sorted(ALL_CAPS)],
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    object_type = forms.CharField(label=_("Record type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Record"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def add_action_errors(form: forms.BaseForm, error: Any) -> None:
    """Put an action's messages (its `errors`: field -> messages) on the form: on the field when the form has
    it, else on the whole form. An error without `errors` goes on the whole form as its text."""
    problems_by_field = getattr(error, "errors", None) or {"__all__": [str(error)]}
    for field, problems in problems_by_field.items():
        target = field if field in form.fields else None
        for problem in problems:
            form.add_error(target, problem)
