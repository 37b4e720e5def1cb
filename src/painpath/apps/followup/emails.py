"""Invitation and reminder emails: plain text and HTML, through Django's email backend.

Privacy (DEVELOPERS.md, issue 5): the first name only, no clinical content (no instrument
names, scores, medicines or conditions), the clinic's name and the link. The Message-ID is the
outbox key, so a copy retried after a crash can be recognised as the same message (ADR 0079).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats

from painpath.apps.followup import conf
from painpath.apps.followup.models import MessageKind, OutboundMessage

SUBJECTS = {
    MessageKind.INVITATION: "Your follow-up questions from {clinic}",
    MessageKind.REMINDER: "Reminder: your follow-up questions from {clinic}",
    MessageKind.FINAL_REMINDER: "Last reminder: your follow-up questions from {clinic}",
    MessageKind.RESEND: "A new link for your follow-up questions from {clinic}",
}


def build(message: OutboundMessage, *, url: str) -> EmailMultiAlternatives:
    """The email for ``message`` (its set's patient, the link's URL and expiry)."""
    s = message.followup_set
    patient = s.patient
    last_day = s.window_closes_on - dt.timedelta(days=1)
    context = {
        "first_name": patient.given_name.split()[0] if patient.given_name.strip() else "",
        "clinic": conf.clinic_name(),
        "url": url,
        "until": formats.date_format(last_day, "j F Y"),
        "kind": message.kind,
        "final": message.kind == MessageKind.FINAL_REMINDER,
    }
    subject = SUBJECTS[MessageKind(message.kind)].format(clinic=conf.clinic_name())
    text = render_to_string("followup/email/message.txt", context)
    html = render_to_string("followup/email/message.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[patient.email],
        headers={"Message-ID": message.message_id},
    )
    email.attach_alternative(html, "text/html")
    return email
