"""Who is reminded of an organization's request: its owner and the organization's current
editors and admins, each by their own preferences, each event once per person."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from rtcc_requests.accounts.models import Membership, NotifyMode, Role
from rtcc_requests.accounts.organizations import (
    membership_end,
    membership_set_role,
    organization_create,
)
from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.reminders.models import Reminder, ReminderKind

from .. import factories
from ..factories import filed_request
from .conftest import DUE, RECEIVED


def _set_profile(user, **fields):
    for name, value in fields.items():
        setattr(user.profile, name, value)
    user.profile.save()


def _recipients(mailoutbox) -> list[str]:
    """Who got an email, one entry per email, sorted."""
    assert all(len(message.to) == 1 for message in mailoutbox)  # nobody sees another's address
    return sorted(message.to[0] for message in mailoutbox)


def _html(message) -> str:
    return message.alternatives[0][0]


def _member(organization, role: str, name: str):
    person = factories.UserFactory(username=name, email=f"{name}@example.org")
    Membership.objects.create(organization=organization, user=person, role=role)
    return person


@pytest.fixture
def newsroom(db, user):
    """Fresno Newsroom: `user` created it (an admin), and owns its request; an editor, a
    second admin and a viewer."""
    organization = organization_create(name="Fresno Newsroom", creator=user)
    people = {
        "owner": user,
        "editor": _member(organization, Role.EDITOR, "editor"),
        "chief": _member(organization, Role.ADMIN, "chief"),
        "viewer": _member(organization, Role.VIEWER, "viewer"),
    }
    request = filed_request(
        received=RECEIVED, owner=user, organization=organization, title="Newsroom ALPR audit"
    )
    return {"organization": organization, "request": request, **people}


def _emails(newsroom, *names) -> list[str]:
    return sorted(newsroom[name].email for name in names)


@pytest.mark.django_db
class TestWhoIsReminded:
    def test_the_owner_and_each_editor_and_admin_get_their_own_email(
        self, newsroom, other_user, sweep, mailoutbox
    ):
        assert sweep(DUE).counts == {ReminderKind.DUE_TODAY: 3}
        # Not the viewer (viewers only read), not someone outside the organization.
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "editor", "chief")
        assert all("Determination due today" in message.subject for message in mailoutbox)
        assert len({message.extra_headers["Message-ID"] for message in mailoutbox}) == 3

    def test_an_owner_who_is_also_an_admin_gets_one_email(self, newsroom, sweep, mailoutbox):
        sweep(DUE)
        assert _recipients(mailoutbox).count(newsroom["owner"].email) == 1

    def test_an_owner_who_is_an_admin_sees_the_event_once_in_their_digest(
        self, newsroom, sweep, mailoutbox
    ):
        _set_profile(newsroom["owner"], notify_mode=NotifyMode.DIGEST)
        sweep(DUE)
        [digest] = [m for m in mailoutbox if m.to == [newsroom["owner"].email]]
        assert digest.subject == "Your deadlines on Mon 30 Nov 2026: 1 deadline"
        assert digest.body.count("Newsroom ALPR audit") == 1

    def test_an_owner_who_left_the_organization_is_still_reminded(
        self, newsroom, sweep, mailoutbox
    ):
        owner = newsroom["owner"]
        membership_end(membership=Membership.objects.get(user=owner), actor=owner)
        sweep(DUE)
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "editor", "chief")

    def test_a_members_own_request_reminds_only_them(self, newsroom, sweep, mailoutbox):
        editor = newsroom["editor"]
        filed_request(received=date(2026, 11, 23), owner=editor, title="Editor's own")  # Dec 3
        sweep(date(2026, 12, 1))
        [message] = [m for m in mailoutbox if "Editor's own" in m.subject]
        assert message.to == [editor.email]

    def test_another_organizations_members_are_not_reminded(
        self, newsroom, other_user, sweep, mailoutbox
    ):
        elsewhere = organization_create(name="Bee Weekly", creator=other_user)
        _member(elsewhere, Role.EDITOR, "bee-editor")
        sweep(DUE)
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "editor", "chief")


@pytest.mark.django_db
class TestMembershipChanges:
    def test_a_member_who_left_gets_nothing_from_the_next_sweep_on(
        self, newsroom, sweep, mailoutbox
    ):
        editor = newsroom["editor"]
        sweep(DUE - timedelta(days=2))
        assert editor.email in _recipients(mailoutbox)
        membership_end(membership=Membership.objects.get(user=editor), actor=editor)
        mailoutbox.clear()
        for day in (DUE, DUE + timedelta(days=1), DUE + timedelta(days=8)):
            sweep(day)
        assert editor.email not in _recipients(mailoutbox)
        assert _recipients(mailoutbox).count(newsroom["chief"].email) == 3

    def test_a_removed_member_gets_nothing_from_the_next_sweep_on(
        self, newsroom, sweep, mailoutbox
    ):
        chief = newsroom["chief"]
        membership = Membership.objects.get(user=chief)
        membership_end(membership=membership, actor=newsroom["owner"])
        sweep(DUE)
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "editor")

    def test_an_editor_made_viewer_is_no_longer_reminded(self, newsroom, sweep, mailoutbox):
        membership = Membership.objects.get(user=newsroom["editor"])
        membership_set_role(membership=membership, role=Role.VIEWER, actor=newsroom["owner"])
        sweep(DUE)
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "chief")

    def test_a_viewer_made_editor_is_reminded_by_the_next_sweep_that_day(
        self, newsroom, sweep, mailoutbox
    ):
        sweep(DUE)
        membership = Membership.objects.get(user=newsroom["viewer"])
        membership_set_role(membership=membership, role=Role.EDITOR, actor=newsroom["owner"])
        assert sweep(DUE).counts == {ReminderKind.DUE_TODAY: 1}
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "editor", "chief", "viewer")


@pytest.mark.django_db
class TestEachOnesPreferences:
    def test_each_is_told_by_their_own_notice_days(self, newsroom, sweep, mailoutbox):
        _set_profile(newsroom["editor"], notice_days=5)
        sweep(DUE - timedelta(days=5))
        assert _recipients(mailoutbox) == _emails(newsroom, "editor")
        assert "due in 5 days" in mailoutbox[0].subject
        mailoutbox.clear()
        sweep(DUE - timedelta(days=2))
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "chief")
        assert all("due in 2 days" in message.subject for message in mailoutbox)

    def test_a_member_who_turned_reminders_off_gets_none(self, newsroom, sweep, mailoutbox):
        _set_profile(newsroom["chief"], notify_mode=NotifyMode.OFF)
        for day in (DUE - timedelta(days=2), DUE, DUE + timedelta(days=1)):
            sweep(day)
        assert newsroom["chief"].email not in _recipients(mailoutbox)
        assert len(mailoutbox) == 6  # the owner and the editor, three each
        assert not Reminder.objects.filter(recipient=newsroom["chief"]).exists()

    def test_an_owner_who_turned_reminders_off_does_not_silence_the_members(
        self, newsroom, sweep, mailoutbox
    ):
        _set_profile(newsroom["owner"], notify_mode=NotifyMode.OFF)
        sweep(DUE)
        assert _recipients(mailoutbox) == _emails(newsroom, "editor", "chief")

    def test_a_member_without_an_address_is_skipped(self, newsroom, sweep, mailoutbox):
        editor = newsroom["editor"]
        editor.email = ""
        editor.save(update_fields=["email"])
        sweep(DUE)
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "chief")

    def test_each_digest_reader_gets_their_own_digest(self, newsroom, sweep, mailoutbox):
        editor, chief = newsroom["editor"], newsroom["chief"]
        _set_profile(editor, notify_mode=NotifyMode.DIGEST)
        _set_profile(chief, notify_mode=NotifyMode.DIGEST)
        second = filed_request(
            received=date(2026, 11, 23),  # due Thu 3 Dec
            owner=editor,
            organization=newsroom["organization"],
            title="Newsroom drone logs",
        )
        own = filed_request(received=RECEIVED, owner=editor, title="Editor's own")
        day = date(2026, 12, 1)
        sweep(day)
        [editors] = [m for m in mailoutbox if m.to == [editor.email]]
        [chiefs] = [m for m in mailoutbox if m.to == [chief.email]]
        assert editors.subject == "Your deadlines on Tue 1 Dec 2026: 3 deadlines, 2 late"
        assert chiefs.subject == "Your deadlines on Tue 1 Dec 2026: 2 deadlines, 1 late"
        for title in ("Newsroom ALPR audit", second.title):
            assert title in editors.body and title in chiefs.body
        assert own.title in editors.body and own.title not in chiefs.body
        # The owner wants one email per event: one for each of the organization's two.
        assert _recipients(mailoutbox).count(newsroom["owner"].email) == 2
        assert len(mailoutbox) == 4


@pytest.mark.django_db
class TestOncePerRecipient:
    def test_a_second_sweep_the_same_day_sends_no_one_anything(self, newsroom, sweep, mailoutbox):
        _set_profile(newsroom["chief"], notify_mode=NotifyMode.DIGEST)
        assert sweep(DUE).reminders == 3
        assert sweep(DUE).reminders == 0
        assert _recipients(mailoutbox) == _emails(newsroom, "owner", "editor", "chief")
        assert Reminder.objects.count() == OutboxMessage.objects.count() == 3

    def test_the_ledger_holds_an_event_once_per_recipient(self, newsroom, sweep):
        sweep(DUE)
        reminder = Reminder.objects.get(recipient=newsroom["editor"])
        with pytest.raises(IntegrityError), transaction.atomic():
            Reminder.objects.create(
                request=reminder.request,
                recipient=reminder.recipient,
                kind=reminder.kind,
                deadline=reminder.deadline,
                due_kind=reminder.due_kind,
                event_on=DUE,
                outbox_key="another",
            )
        assert Reminder.objects.filter(recipient=newsroom["editor"]).count() == 1


@pytest.mark.django_db
class TestTheEmailNamesTheOrganization:
    def test_an_organizations_request_says_whose_it_is(self, newsroom, sweep, mailoutbox):
        sweep(DUE)
        for message in mailoutbox:
            assert "Organization: Fresno Newsroom" in message.body
            assert "Organization: Fresno Newsroom" in _html(message)

    def test_a_digest_says_it_of_each_organizations_request_only(self, newsroom, sweep, mailoutbox):
        editor = newsroom["editor"]
        _set_profile(editor, notify_mode=NotifyMode.DIGEST)
        filed_request(received=RECEIVED, owner=editor, title="Editor's own")
        sweep(DUE)
        [digest] = [m for m in mailoutbox if m.to == [editor.email]]
        for body in (digest.body, _html(digest)):
            assert body.count("Organization: Fresno Newsroom") == 1
        newsroom_part, own_part = sorted(
            digest.body.split("\n* ")[1:], key=lambda part: "Editor's own" in part
        )
        assert "Organization:" in newsroom_part and "Organization:" not in own_part

    def test_a_personal_request_names_no_organization(self, user, sweep, mailoutbox):
        filed_request(received=RECEIVED, owner=user)
        sweep(DUE)
        [message] = mailoutbox
        assert "Organization:" not in message.body
        assert "Organization:" not in _html(message)
