"""`python -m healthgap.web equality_reminders [--today YYYY-MM-DD] [--send]`: the EHIA actions
and reviews that are due, one line each; `--send` also e-mails each owner their list through
Django's mail backend (the console backend unless HEALTHGAP_EMAIL_BACKEND says otherwise)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthgap.web.accounts.models import User
from healthgap.web.equality.models import ImpactAssessment
from healthgap.web.equality.views.home import reminders_for


class Command(BaseCommand):
    help = "List (and with --send, e-mail) the EHIA actions and reviews that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="The date to check against (default: today).")
        parser.add_argument("--send", action="store_true", help="E-mail each owner their list.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            today = date.fromisoformat(str(options["today"])) if options["today"] else date.today()
        except ValueError:
            raise CommandError(
                f"--today must be a date like 2026-03-31, not {options['today']!r}."
            ) from None
        assessments = ImpactAssessment.objects.prefetch_related("actions__owner").select_related(
            "owner"
        )
        due = reminders_for(assessments, today)
        by_owner: dict[str, list] = defaultdict(list)
        for r in due:
            by_owner[r.owner].append(r)
            self.stdout.write(
                f"{r.owner}: {r.kind} '{r.what}' on EHIA {r.ehia_id} ({r.title}), due {r.due}, "
                f"{r.days_overdue} days overdue"
            )
        if not due:
            self.stdout.write(f"Nothing is due on {today}.")
        if not options["send"]:
            return
        sent = 0
        for username, items in by_owner.items():
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None or not user.email:
                self.stderr.write(f"{username} has no e-mail address; not sent.")
                continue
            lines = [f"- {r.kind}: {r.what} ({r.title}), due {r.due}" for r in items]
            send_mail(
                subject=f"{len(items)} equality impact assessment item(s) due",
                message="These are due or overdue:\n" + "\n".join(lines),
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
        self.stdout.write(f"Sent {sent} e-mail(s).")
