from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from freezegun import freeze_time

from rtcc_requests.accounts.models import NotifyMode
from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.reminders.models import Reminder, ReminderKind
from rtcc_requests.reminders.services import event_for, reminders_sweep
from rtcc_requests.requests import services as request_services
from rtcc_requests.requests.choices import DeterminationKind, DueKind, ExtensionGround

from ..factories import filed_request
from .conftest import DUE, RECEIVED

CITATION = "Gov. Code §7922.535(a) [former §6253(c)]"


def _set_profile(user, **fields):
    for name, value in fields.items():
        setattr(user.profile, name, value)
    user.profile.save()


def _html(message) -> str:
    return message.alternatives[0][0]


class TestEventFor:
    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (DUE - timedelta(days=3), None),
            (DUE - timedelta(days=2), (ReminderKind.DUE_SOON, 0)),
            (DUE, (ReminderKind.DUE_TODAY, 0)),
            (DUE + timedelta(days=1), (ReminderKind.OVERDUE, 0)),
            (DUE + timedelta(days=2), None),
            (DUE + timedelta(days=8), (ReminderKind.STILL_OVERDUE, 1)),
            (DUE + timedelta(days=15), (ReminderKind.STILL_OVERDUE, 2)),
            (DUE + timedelta(days=16), None),
        ],
    )
    def test_events_of_a_determination_deadline(self, today, expected):
        assert (
            event_for(next_due=DUE, next_due_kind=DueKind.DETERMINATION, notice_days=2, today=today)
            == expected
        )

    def test_day_after_an_extended_or_promised_date_has_its_own_kind(self):
        day_after = DUE + timedelta(days=1)
        kinds = [
            event_for(next_due=DUE, next_due_kind=kind, notice_days=2, today=day_after)[0]
            for kind in (DueKind.EXTENDED, DueKind.PRODUCTION)
        ]
        assert kinds == [ReminderKind.EXTENDED_PASSED, ReminderKind.PRODUCTION_PASSED]

    def test_weekly_repeats_stop_after_a_year(self):
        late = DUE + timedelta(days=1 + 7 * 53)
        assert event_for(next_due=DUE, next_due_kind="", notice_days=2, today=late) is None


@pytest.mark.django_db
class TestReminderEmails:
    def test_two_days_before_says_what_when_law_and_links(self, user, sweep, mailoutbox):
        records_request = filed_request(received=RECEIVED, owner=user)
        with freeze_time("2026-11-28 15:00"):  # 7:00 in California
            result = sweep(timezone.localdate())
        assert result.counts == {ReminderKind.DUE_SOON: 1}
        [message] = mailoutbox
        assert message.to == [user.email]
        assert "Determination due in 2 days" in message.subject
        assert records_request.title in message.subject
        request_url = f"{settings.SITE_URL}/requests/{records_request.pk}/"
        for body in (message.body, _html(message)):
            assert "Mon 30 Nov 2026" in body
            assert CITATION in body
            assert request_url in body
            assert "#follow-up" not in body
            assert f"{settings.SITE_URL}/accounts/profile/" in body
        assert message.extra_headers["List-Unsubscribe"] == (
            f"<{settings.SITE_URL}/accounts/profile/>"
        )

    def test_due_today(self, user, sweep, mailoutbox):
        filed_request(received=RECEIVED, owner=user)
        assert sweep(DUE).counts == {ReminderKind.DUE_TODAY: 1}
        assert "Determination due today" in mailoutbox[0].subject

    def test_overdue_the_day_after_links_the_follow_up_letter(self, user, sweep, mailoutbox):
        records_request = filed_request(received=RECEIVED, owner=user)
        assert sweep(date(2026, 12, 1)).counts == {ReminderKind.OVERDUE: 1}
        [message] = mailoutbox
        assert "missed its deadline" in message.subject
        follow_up = f"{settings.SITE_URL}/requests/{records_request.pk}/#follow-up"
        assert follow_up in message.body and follow_up in _html(message)
        assert "Send the follow-up letter" in message.body

    def test_overdue_again_every_seven_days_while_nothing_happens(self, user, sweep, mailoutbox):
        filed_request(received=RECEIVED, owner=user)
        sent_on = [
            day for day in (DUE + timedelta(days=n) for n in range(2, 17)) if sweep(day).reminders
        ]
        assert sent_on == [date(2026, 12, 8), date(2026, 12, 15)]
        assert "Still no answer, 8 days late" in mailoutbox[0].subject

    def test_extended_deadline_passed(self, user, sweep, mailoutbox):
        records_request = filed_request(received=RECEIVED, owner=user)
        extended = _extend(records_request)
        assert sweep(extended.extended_due + timedelta(days=1)).counts == {
            ReminderKind.EXTENDED_PASSED: 1
        }
        assert "extended deadline passed" in mailoutbox[0].subject
        assert "§7922.535(b)-(c)" in mailoutbox[0].body

    def test_promised_production_date_passed(self, user, sweep, mailoutbox):
        records_request = filed_request(received=RECEIVED, owner=user)
        # Disclosable, the records promised by a date (an acknowledgement's date is none).
        request_services.determination_record(
            records_request=records_request,
            actor=user,
            kind=DeterminationKind.DISCLOSABLE,
            response_date=date(2026, 11, 20),
            promised_date=date(2026, 12, 18),
        )
        assert sweep(date(2026, 12, 19)).counts == {ReminderKind.PRODUCTION_PASSED: 1}
        [message] = mailoutbox
        assert "promised production date passed" in message.subject
        assert "Fri 18 Dec 2026" in message.body
        assert "asking when the records will be released" in message.body
        # The estimated date is §7922.535(a)'s; §7922.530 is the duty to act promptly.
        assert "at the date it estimated (Gov. Code §7922.535(a) [former §6253(c)])" in message.body

    def test_a_second_sweep_the_same_day_sends_nothing(self, user, sweep, mailoutbox):
        filed_request(received=RECEIVED, owner=user)
        assert sweep(DUE).reminders == 1
        assert sweep(DUE).reminders == 0
        assert len(mailoutbox) == 1
        assert Reminder.objects.count() == OutboxMessage.objects.count() == 1

    def test_a_rerun_delivers_what_a_crash_after_commit_left_queued(
        self, user, sweep, mailoutbox, django_capture_on_commit_callbacks
    ):
        filed_request(received=RECEIVED, owner=user)
        # The first sweep commits, then dies before its delivery tasks reach the broker.
        with django_capture_on_commit_callbacks(execute=False):
            reminders_sweep(today=DUE)
        assert mailoutbox == []
        assert sweep(DUE).reminders == 0
        assert len(mailoutbox) == 1

    def test_a_closed_request_gets_no_reminder(self, user, sweep, mailoutbox):
        records_request = filed_request(received=RECEIVED, owner=user)
        request_services.request_withdraw(records_request=records_request, actor=user)
        assert sweep(DUE).reminders == 0
        assert mailoutbox == []


def _extend(records_request):
    request_services.determination_record(
        records_request=records_request,
        actor=records_request.owner,
        kind=DeterminationKind.EXTENSION,
        response_date=date(2026, 11, 25),
        # A notice that extends: in time, with an allowed reason and a date (cpra.md).
        extension_ground=ExtensionGround.VOLUMINOUS,
        extension_date=date(2026, 12, 10),
    )
    records_request.refresh_from_db()
    return records_request


@pytest.mark.django_db
class TestMovedDeadline:
    def test_reminds_of_the_new_date_only(self, user, sweep, mailoutbox):
        records_request = filed_request(received=RECEIVED, owner=user)
        assert sweep(DUE - timedelta(days=2)).counts == {ReminderKind.DUE_SOON: 1}
        extended = _extend(records_request)
        assert extended.extended_due > DUE
        # The old date passes without an "overdue" email ...
        for day in (DUE, DUE + timedelta(days=1)):
            assert sweep(day).reminders == 0
        # ... and the new one gets its own notice.
        new_due = extended.extended_due
        assert sweep(new_due - timedelta(days=2)).counts == {ReminderKind.DUE_SOON: 1}
        assert len(mailoutbox) == 2
        assert f"{new_due:%a} {new_due.day} {new_due:%b %Y}" in mailoutbox[1].body
        assert "Extended determination due in 2 days" in mailoutbox[1].subject


@pytest.mark.django_db
class TestPreferences:
    def test_off_means_no_reminder_at_all(self, user, sweep, mailoutbox):
        _set_profile(user, notify_mode=NotifyMode.OFF)
        filed_request(received=RECEIVED, owner=user)
        for day in (DUE - timedelta(days=2), DUE, DUE + timedelta(days=1)):
            assert sweep(day).reminders == 0
        assert mailoutbox == []
        assert not Reminder.objects.exists()

    def test_five_days_notice_reminds_five_days_before(self, user, sweep, mailoutbox):
        _set_profile(user, notice_days=5)
        filed_request(received=RECEIVED, owner=user)
        assert sweep(DUE - timedelta(days=2)).reminders == 0
        assert sweep(DUE - timedelta(days=5)).counts == {ReminderKind.DUE_SOON: 1}
        assert "due in 5 days" in mailoutbox[0].subject

    def test_each_owner_gets_their_own_notice(self, user, other_user, sweep, mailoutbox):
        _set_profile(other_user, notice_days=5)
        filed_request(received=RECEIVED, owner=user)
        filed_request(received=RECEIVED, owner=other_user)
        sweep(DUE - timedelta(days=5))
        sweep(DUE - timedelta(days=2))
        assert [m.to for m in mailoutbox] == [[other_user.email], [user.email]]


@pytest.mark.django_db
class TestDigest:
    def test_one_email_lists_every_event_of_the_day(self, user, other_user, sweep, mailoutbox):
        _set_profile(user, notify_mode=NotifyMode.DIGEST)
        late = filed_request(received=RECEIVED, owner=user)  # due Mon 30 Nov
        soon = filed_request(received=date(2026, 11, 23), owner=user)  # due Thu 3 Dec
        filed_request(received=RECEIVED, owner=other_user)
        day = date(2026, 12, 1)
        result = sweep(day)
        assert result.counts == {ReminderKind.OVERDUE: 2, ReminderKind.DUE_SOON: 1}
        [digest] = [m for m in mailoutbox if m.to == [user.email]]
        assert digest.subject == "Your deadlines on Tue 1 Dec 2026: 2 deadlines, 1 late"
        for body in (digest.body, _html(digest)):
            assert late.title in body and soon.title in body
            assert f"/requests/{late.pk}/#follow-up" in body
            assert f"/requests/{soon.pk}/#follow-up" not in body
        assert "List-Unsubscribe" in digest.extra_headers
        # Per-event users still get their own email; a re-run sends no second digest.
        assert [m.to for m in mailoutbox].count([other_user.email]) == 1
        assert sweep(day).reminders == 0
        assert len(mailoutbox) == 2

    def test_a_deadline_recorded_after_the_days_digest_goes_in_a_second_one(
        self, user, sweep, mailoutbox
    ):
        _set_profile(user, notify_mode=NotifyMode.DIGEST)
        late = filed_request(received=RECEIVED, owner=user)  # due Mon 30 Nov
        day = date(2026, 12, 1)
        sweep(day)
        [first] = mailoutbox
        # Filed after the morning's sweep, due in two days: a reminder for today too.
        soon = filed_request(received=date(2026, 11, 23), owner=user)  # due Thu 3 Dec
        assert sweep(day).counts == {ReminderKind.DUE_SOON: 1}
        assert len(mailoutbox) == 2
        second = mailoutbox[1]
        assert soon.title in second.body and late.title not in second.body
        assert second.subject == "Your deadlines on Tue 1 Dec 2026: 1 deadline"
        # Every recorded reminder is in exactly one sent email; a re-run sends nothing more.
        assert late.title in first.body and soon.title not in first.body
        assert sweep(day).reminders == 0 and len(mailoutbox) == 2
        keys = set(Reminder.objects.values_list("outbox_key", flat=True))
        assert len(keys) == 2 and all(
            OutboxMessage.objects.get(idempotency_key=key).status == "sent" for key in keys
        )


@pytest.mark.django_db
class TestEmailSafety:
    def test_titles_are_escaped_in_html_and_plain_in_text(self, user, sweep, mailoutbox):
        filed_request(received=RECEIVED, owner=user, title="<script>alert(1)</script> & co")
        sweep(DUE)
        [message] = mailoutbox
        assert "<script>" not in _html(message)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in _html(message)
        assert "<script>alert(1)</script> & co" in message.body

    def test_an_owner_without_an_address_is_skipped(self, user, sweep, mailoutbox):
        user.email = ""
        user.save()
        filed_request(received=RECEIVED, owner=user)
        assert sweep(DUE).reminders == 0
        assert mailoutbox == []


@pytest.mark.django_db
class TestBodiesWrittenWhenSent:
    def test_the_sweep_stores_subjects_and_the_worker_writes_the_bodies(
        self, user, mailoutbox, django_capture_on_commit_callbacks
    ):
        from rtcc_requests.outbox.services import outbox_deliver

        records_request = filed_request(received=RECEIVED, owner=user)
        with django_capture_on_commit_callbacks(execute=False):
            reminders_sweep(today=DUE - timedelta(days=2))
        message = OutboxMessage.objects.get()
        assert message.body_text == "" and message.render_with == "reminders.event"
        assert message.subject.startswith("Determination due in 2 days")
        # The title changed after the sweep: the email says what is true when it is sent.
        records_request.title = "Renamed: ALPR audit logs"
        records_request.save(update_fields=["title"])
        outbox_deliver(message_id=message.pk)
        [sent] = mailoutbox
        assert "Renamed: ALPR audit logs" in sent.body and CITATION in sent.body
        message.refresh_from_db()
        assert message.body_text == sent.body


def _foia(user, **kwargs):
    from ..factories import law

    return filed_request(received=RECEIVED, owner=user, law=law("us-foia"), **kwargs)


@pytest.mark.django_db
class TestWorkingDays:
    """FOIA counts working days (5 U.S.C. §552(a)(6)(A)(i)): so do its reminders."""

    def test_a_foia_deadline_is_counted_in_working_days(self, user, sweep, mailoutbox):
        records_request = _foia(user)
        due = records_request.determination_due
        assert due == date(2026, 12, 15)  # 20 working days after Mon 16 Nov, Thanksgiving out
        assert sweep(due - timedelta(days=2)).counts == {ReminderKind.DUE_SOON: 1}
        [message] = mailoutbox
        assert "Determination due in 2 working days" in message.subject
        for body in (message.body, _html(message)):
            assert "within 20 working days of receiving the request" in body
            assert "5 U.S.C. §552(a)(6)(A)(i)" in body
            assert "Tue 15 Dec 2026, in 2 working days" in body
            assert "calendar days" not in body and "business days" not in body

    def test_lateness_is_counted_in_working_days_too(self, user, sweep, mailoutbox):
        due = _foia(user).determination_due
        sweep(due + timedelta(days=1))
        sweep(due + timedelta(days=8))
        day_after, week_after = mailoutbox
        assert "Tue 15 Dec 2026, 1 working day late" in day_after.body
        assert "Still no answer, 6 working days late" in week_after.subject

    def test_the_extension_is_in_working_days(self, user):
        from rtcc_requests.reminders.emails import render_event_email

        records_request = _foia(user)
        reminder = Reminder.objects.create(
            request=records_request,
            recipient=user,
            kind=ReminderKind.DUE_SOON,
            deadline=date(2026, 12, 31),
            due_kind=DueKind.EXTENDED,
            event_on=date(2026, 12, 29),
            outbox_key="k",
        )
        email = render_event_email(reminder, today=date(2026, 12, 29), key="k")
        assert "at most 10 working days (5 U.S.C. §552(a)(6)(B)(i))" in email.body_text
        assert "Extended determination due in 2 working days" in email.subject

    def test_the_cpra_keeps_counting_calendar_days(self, user, sweep, mailoutbox):
        filed_request(received=RECEIVED, owner=user)
        sweep(DUE - timedelta(days=2))
        [message] = mailoutbox
        assert "Determination due in 2 days" in message.subject
        assert "within 10 calendar days of receiving the request" in message.body
        assert "working day" not in message.body


APPEAL_DUE = date(2027, 2, 18)  # a Thursday; the Tuesday before is two working days ahead


def _denied_foia(user, *, status="denied", appeal_due=APPEAL_DUE, **kwargs):
    """A FOIA request with an adverse determination: the field the determinations service sets."""
    from rtcc_requests.requests.models import RecordsRequest

    records_request = _foia(user, **kwargs)
    RecordsRequest.objects.filter(pk=records_request.pk).update(
        status=status, next_due=None, next_due_kind="", appeal_due=appeal_due
    )
    records_request.refresh_from_db()
    return records_request


class TestAppealEventFor:
    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (APPEAL_DUE - timedelta(days=3), None),
            (APPEAL_DUE - timedelta(days=2), ReminderKind.APPEAL_SOON),
            (APPEAL_DUE - timedelta(days=1), None),
            (APPEAL_DUE, ReminderKind.APPEAL_TODAY),
            (APPEAL_DUE + timedelta(days=1), ReminderKind.APPEAL_PASSED),
            (APPEAL_DUE + timedelta(days=2), None),
            (APPEAL_DUE + timedelta(days=8), None),
        ],
    )
    def test_before_on_and_the_day_after(self, today, expected):
        from rtcc_requests.reminders.services import appeal_event_for

        assert appeal_event_for(appeal_due=APPEAL_DUE, notice_days=2, today=today) == expected


@pytest.mark.django_db
class TestAppealReminders:
    def test_each_step_is_emailed_exactly_once(self, user, sweep, mailoutbox):
        records_request = _denied_foia(user)
        days = [APPEAL_DUE + timedelta(days=n) for n in range(-5, 12)]
        sent_on = {day: sweep(day).counts for day in days}
        # A second sweep of each day finds nothing new.
        assert all(sweep(day).reminders == 0 for day in days)
        assert {day: counts for day, counts in sent_on.items() if counts} == {
            APPEAL_DUE - timedelta(days=2): {ReminderKind.APPEAL_SOON: 1},
            APPEAL_DUE: {ReminderKind.APPEAL_TODAY: 1},
            APPEAL_DUE + timedelta(days=1): {ReminderKind.APPEAL_PASSED: 1},
        }
        assert len(mailoutbox) == 3 == Reminder.objects.count() == OutboxMessage.objects.count()
        keys = set(OutboxMessage.objects.values_list("idempotency_key", flat=True))
        assert keys == {
            f"reminder:{records_request.pk}:{user.pk}:{kind}:2027-02-18:0"
            for kind in ("appeal_soon", "appeal_today", "appeal_passed")
        }
        soon, today, passed = mailoutbox
        assert soon.subject == (
            "Your FOIA appeal deadline is in 2 working days: "
            f"{records_request.agency.name} – {records_request.title}"
        )
        assert today.subject.startswith("Your FOIA appeal deadline is today")
        assert passed.subject.startswith("Your FOIA appeal deadline passed")
        for body in (soon.body, _html(soon)):
            assert "Thu 18 Feb 2027, in 2 working days" in body
            assert "your deadline to file an administrative appeal" in body
            assert "5 U.S.C. §552(a)(6)(A)(i)(III)(aa)" in body
            assert "draft the FOIA appeal" in body
            assert "#follow-up" not in body
        assert "the period to appeal has ended" in passed.body

    def test_a_partial_release_reminds_of_the_appeal_and_the_records_still_due(
        self, user, sweep, mailoutbox
    ):
        from rtcc_requests.requests.models import RecordsRequest

        records_request = _denied_foia(user, status="partial")
        RecordsRequest.objects.filter(pk=records_request.pk).update(
            next_due=APPEAL_DUE, next_due_kind=DueKind.PRODUCTION
        )
        assert sweep(APPEAL_DUE).counts == {
            ReminderKind.DUE_TODAY: 1,
            ReminderKind.APPEAL_TODAY: 1,
        }
        assert len(mailoutbox) == 2

    def test_ended_requests_and_silenced_owners_get_none(self, user, other_user, sweep, mailoutbox):
        _denied_foia(user, status="closed")
        _denied_foia(user, status="withdrawn")
        _set_profile(other_user, notify_mode=NotifyMode.OFF)
        _denied_foia(other_user)
        for day in (APPEAL_DUE - timedelta(days=2), APPEAL_DUE, APPEAL_DUE + timedelta(days=1)):
            assert sweep(day).reminders == 0
        assert mailoutbox == []

    def test_the_owners_notice_days_apply(self, user, sweep, mailoutbox):
        _set_profile(user, notice_days=7)
        _denied_foia(user)
        assert sweep(APPEAL_DUE - timedelta(days=2)).reminders == 0
        assert sweep(APPEAL_DUE - timedelta(days=7)).counts == {ReminderKind.APPEAL_SOON: 1}
        # Fri 12, then Mon 15 Feb is Presidents' Day: Tue, Wed and Thu make four.
        assert "in 4 working days" in mailoutbox[0].subject

    def test_a_digest_lists_the_appeal_with_the_agencys_deadlines(self, user, sweep, mailoutbox):
        _set_profile(user, notify_mode=NotifyMode.DIGEST)
        day = DUE + timedelta(days=1)
        appeal = _denied_foia(user, appeal_due=day)
        late = filed_request(received=RECEIVED, owner=user)  # CPRA, due Mon 30 Nov
        assert sweep(day).counts == {ReminderKind.APPEAL_TODAY: 1, ReminderKind.OVERDUE: 1}
        [digest] = mailoutbox
        assert digest.subject == "Your deadlines on Tue 1 Dec 2026: 2 deadlines, 1 late"
        assert appeal.title in digest.body and late.title in digest.body
        assert "Your FOIA appeal deadline is today" in digest.body
        assert "§552(a)(6)(A)(i)(III)(aa)" in digest.body
