"""Forms only validate and normalise; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, Organisation
from portal.widgets import FastSelect


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )


def narrow_organisations(field: Any, organisations: Any, offered: Any = None) -> None:
    """Validate an organisation filter against ``organisations`` and show ``offered``."""
    from portal.selectors import filter_choices

    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = organisations
    if offered is not None:
        field.widget.choices = filter_choices(offered, field.empty_label)


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or phone"), required=False, max_length=50)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All I can see"),
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Member category"),
        required=False,
        choices=[("", _("All categories")), *Membership.Status.choices],
        widget=FastSelect,
    )
    leading_cadre = forms.BooleanField(label=_("Leading cadres only"), required=False)

    def __init__(
        self, *args: Any, organisations: Any = None, offered: Any = None, **kwargs: Any
    ) -> None:
        """``organisations``: what may be chosen; ``offered``: what the list shows, if
        fewer (see :func:`portal.selectors.filter_organisations`)."""
        super().__init__(*args, **kwargs)
        if organisations is not None:
            narrow_organisations(self.fields["organisation"], organisations, offered)

    def filter(self, memberships: Any) -> Any:
        """Apply the valid filters; an invalid filter is ignored and shown as an error."""
        if not self.is_valid():
            return memberships
        data = self.cleaned_data
        if data["q"]:
            from django.db.models import Q

            memberships = memberships.filter(
                Q(user__name__icontains=data["q"]) | Q(user__phone__contains=data["q"])
            )
        if data["organisation"] is not None:
            organisation = data["organisation"]
            if organisation.kind == Organisation.Kind.GROUP:
                memberships = memberships.filter(group=organisation)
            else:
                memberships = memberships.filter(branch__path__startswith=organisation.path)
        if data["status"]:
            memberships = memberships.filter(status=data["status"])
        if data["leading_cadre"]:
            memberships = memberships.filter(is_leading_cadre=True)
        return memberships


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster (.xlsx)"),
        help_text=_(
            "Columns: 姓名, 性别, 出生日期, 入党日期, 党员类别, 所在支部, 党小组, 职务, 部门, 手机. "
            "If any row is wrong, nothing is imported and every wrong row is listed."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file (Excel 2007 or later)."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}
            )
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This file is not an .xlsx workbook."))
        return upload


class NotificationPreferenceForm(forms.ModelForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Where e-mail notifications go."),
    )

    class Meta:
        from portal.models import NotificationPreference

        model = NotificationPreference
        fields = ["channel", "frequency", "language"]
        widgets = {"channel": forms.RadioSelect, "frequency": forms.RadioSelect}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from portal.models import NotificationPreference

        if data.get("channel") == NotificationPreference.Channel.EMAIL and not data.get("email"):
            self.add_error("email", _("Give an e-mail address to receive e-mail notifications."))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The code is six digits."))
        return token
