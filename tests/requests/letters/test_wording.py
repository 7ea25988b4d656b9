"""The words of each letter kind: federal FOIA letters as FOIA letters, CPRA letters as before."""

from datetime import date

import pytest

from rtcc_requests.requests.choices import DeterminationKind, FeeCategory, LetterKind
from rtcc_requests.requests.letters.wording import (
    FoiaOptions,
    LateFacts,
    addressee,
    denial_challenge_body,
    follow_up_body,
    request_body,
)
from rtcc_requests.requests.models import Determination

from ... import factories
from .conftest import make_filed

WAIVER_REASON = "I publish what I find in a newsletter read by 5,000 Fresno residents."
EXPEDITED_REASON = "The city council votes on renewing the contract on 1 March 2027."
CPRA_ONLY = ("7922", "6253", "Gov. Code")


def _foia_body(agency=None, **options) -> str:
    return request_body(
        agency=agency or factories.AgencyFactory(name="Federal Bureau of Investigation"),
        law=factories.law("us-foia"),
        records_sought="Contracts with Flock Safety, 2024-2026.",
        signature="Ada Lovelace",
        foia=FoiaOptions(**options),
    )


@pytest.mark.django_db
class TestFoiaRequestLetter:
    def test_cites_the_act_and_its_20_day_clock_and_no_cpra_section(self):
        body = _foia_body()
        assert "Under the Freedom of Information Act (FOIA), 5 U.S.C. §552," in body
        assert "5 U.S.C. §552(a)(6)(A)(i) requires you to determine within 20 days" in body
        assert "excepting Saturdays, Sundays and legal public holidays" in body
        assert "10 working days (5 U.S.C. §552(a)(6)(B)(i))" in body
        assert "Contracts with Flock Safety, 2024-2026." in body
        assert not any(cpra in body for cpra in CPRA_ONLY)

    def test_no_fee_waiver_or_expedited_paragraph_unless_asked(self):
        body = _foia_body()
        assert "§552(a)(4)(A)(ii)" not in body and "requester category" not in body
        assert "§552(a)(4)(A)(iii)" not in body and "waiver" not in body
        assert "§552(a)(6)(E)" not in body and "expedited" not in body.lower()
        assert "certify" not in body

    @pytest.mark.parametrize(
        ("category", "says"),
        [
            (FeeCategory.NEWS_MEDIA, "I am a representative of the news media"),
            (FeeCategory.EDUCATIONAL, "educational or noncommercial scientific institution"),
            (FeeCategory.OTHER, "not sought for commercial use"),
            (FeeCategory.COMMERCIAL, "The records are sought for commercial use."),
        ],
    )
    def test_states_the_fee_category(self, category, says):
        body = _foia_body(fee_category=category)
        label = FeeCategory(category).label
        assert f"requester category “{label}” (5 U.S.C. §552(a)(4)(A)(ii))" in body
        assert says in body
        assert "waiver" not in body

    def test_fee_waiver_with_the_requesters_reason(self):
        body = _foia_body(fee_waiver_requested=True, fee_waiver_reason=WAIVER_REASON)
        assert "I request a waiver of all fees (5 U.S.C. §552(a)(4)(A)(iii))" in body
        assert "contribute significantly to public understanding" in body
        assert WAIVER_REASON in body
        assert "If you do not grant the waiver in full, please tell me of any fee" in body

    def test_expedited_processing_with_reason_decision_time_and_certification(self):
        body = _foia_body(expedited_requested=True, expedited_reason=EXPEDITED_REASON)
        assert "I request expedited processing (5 U.S.C. §552(a)(6)(E)), because:" in body
        assert EXPEDITED_REASON in body
        assert "within 10 calendar days (5 U.S.C. §552(a)(6)(E))" in body
        assert "true and correct to the best of my knowledge and belief" in body
        # cpra.md lists no subsection of (E); the letter cites none.
        assert "(E)(" not in body

    def test_a_reason_without_its_request_is_left_out(self):
        body = _foia_body(fee_waiver_reason=WAIVER_REASON, expedited_reason=EXPEDITED_REASON)
        assert WAIVER_REASON not in body and EXPEDITED_REASON not in body

    def test_addressed_to_the_records_office_or_the_foia_officer(self):
        office = factories.AgencyFactory(name="FBI", records_office="FOIA/PA Unit")
        assert _foia_body(office).startswith("To the FOIA/PA Unit, FBI:")
        nobody = factories.AgencyFactory(name="FBI Field Office", records_office="")
        assert _foia_body(nobody).startswith("To the FOIA Officer, FBI Field Office:")

    def test_options_are_ignored_for_another_law(self):
        body = request_body(
            agency=factories.AgencyFactory(),
            law=factories.law("ca-cpra"),
            records_sought="X",
            foia=FoiaOptions(
                fee_category=FeeCategory.NEWS_MEDIA,
                fee_waiver_requested=True,
                fee_waiver_reason=WAIVER_REASON,
                expedited_requested=True,
                expedited_reason=EXPEDITED_REASON,
            ),
        )
        assert "552" not in body and WAIVER_REASON not in body and EXPEDITED_REASON not in body


@pytest.mark.django_db
class TestCpraLetterUnchanged:
    def test_only_the_addressee_follows_the_records_office(self):
        def body(office: str) -> str:
            agency = factories.AgencyFactory(
                name="Fresno Police Department", slug=f"fresno-{len(office)}", records_office=office
            )
            return request_body(
                agency=agency,
                law=factories.law(),
                records_sought="ALPR audits.",
                signature="A",
            )

        plain, addressed = body(""), body("Records Division")
        assert plain.startswith("To the Custodian of Records, Fresno Police Department:")
        assert addressed.startswith("To the Records Division, Fresno Police Department:")
        assert addressed.replace("Records Division", "Custodian of Records", 1) == plain
        assert "552" not in plain and "FOIA" not in plain

    def test_addressee_of_each_law_and_kind(self):
        bare = factories.AgencyFactory(records_office="")
        office = factories.AgencyFactory(records_office="Records Division")
        foia, cpra = factories.law("us-foia"), factories.law()
        assert addressee(agency=bare, law=cpra) == "Custodian of Records"
        assert addressee(agency=bare, law=factories.law("tx-pia")) == "Custodian of Records"
        assert addressee(agency=bare, law=foia) == "FOIA Officer"
        assert addressee(agency=bare, law=foia, kind=LetterKind.DENIAL_CHALLENGE) == (
            "FOIA Appeals Officer"
        )
        for law in (foia, cpra):
            assert addressee(agency=office, law=law) == "Records Division"


class TestFoiaOptions:
    def test_cleared_outside_foia(self):
        class Cpra:
            code = "ca-cpra"

        asked = FoiaOptions("news_media", True, "why", True, "why")
        assert asked.for_law(Cpra()) == FoiaOptions()

    def test_a_waiver_or_expedited_processing_needs_its_reason(self):
        asked = FoiaOptions(fee_waiver_requested=True, expedited_requested=True)
        assert set(asked.problems()) == {"fee_waiver_reason", "expedited_reason"}
        given = FoiaOptions("", True, WAIVER_REASON, True, EXPEDITED_REASON)
        assert given.problems() == {}

    def test_a_commercial_requester_is_not_offered_a_waiver(self):
        asked = FoiaOptions(FeeCategory.COMMERCIAL, True, WAIVER_REASON)
        assert set(asked.problems()) == {"fee_waiver_requested"}


def _late(due_label: str = "determination") -> LateFacts:
    return LateFacts(
        received_on=date(2026, 11, 2),
        due=date(2026, 12, 1),
        due_label=due_label,
        today=date(2026, 12, 4),
        days_late=3,
    )


@pytest.mark.django_db
class TestFoiaFollowUp:
    @pytest.fixture
    def foia(self):
        return make_filed(law=factories.law("us-foia"))

    def test_names_the_limit_constructive_exhaustion_and_no_search_fees(self, foia):
        body = follow_up_body(records_request=foia, facts=_late(), signature="Ada")
        assert "my Freedom of Information Act request" in body
        assert "5 U.S.C. §552(a)(6)(A)(i) required a determination within 20 working days" in body
        assert "deemed to have exhausted my administrative remedies" in body
        assert "(5 U.S.C. §552(a)(6)(C)(i))" in body
        assert "you may not assess search fees for this request" in body
        assert "(5 U.S.C. §552(a)(4)(A)(viii))" in body
        assert not any(cpra in body for cpra in CPRA_ONLY)

    def test_an_extended_deadline_names_the_extension(self, foia):
        body = follow_up_body(records_request=foia, facts=_late("extended"))
        assert "as extended by your notice (5 U.S.C. §552(a)(6)(B)(i))" in body
        assert "§552(a)(6)(C)(i)" in body

    def test_a_cpra_follow_up_claims_neither(self):
        body = follow_up_body(records_request=make_filed(), facts=_late())
        assert "exhausted" not in body and "search fees" not in body and "552" not in body

    def test_a_cpra_follow_up_to_an_unanswered_question_names_the_duty_to_assist(self):
        asked = make_filed()
        asked.status = "clarification"
        body = follow_up_body(records_request=asked, facts=_late())
        assert "Your question did not stop the time limit." in body
        assert "Gov. Code §7922.600 [former §6253.1]" in body
        plain = follow_up_body(records_request=make_filed(), facts=_late())
        assert "7922.600" not in plain


@pytest.mark.django_db
class TestCpraChallenge:
    @pytest.mark.parametrize(
        ("code", "says"),
        [
            ("blanket_withholding", "Gov. Code §7922.525(b) [former §6253(a)]"),
            ("other_law_unnamed", "without naming the other law"),
            ("alpr_not_investigatory", "(2017) 3 Cal.5th 1032"),
            ("personnel_law_on_policies", "Penal Code §832.7, which governs peace officer"),
            ("official_without_title", "without a title or position"),
        ],
    )
    def test_each_cpra_want_has_its_own_sentence_with_its_rule(self, code, says):
        records_request = make_filed()
        records_request.deficiencies = [code]
        body = denial_challenge_body(
            records_request=records_request, denial=_adverse(records_request), due=None
        )
        assert says in body


def _adverse(records_request, kind=DeterminationKind.DENIAL) -> Determination:
    return Determination(request=records_request, kind=kind, date=date(2026, 11, 16))


@pytest.mark.django_db
class TestFoiaAppeal:
    @pytest.fixture
    def foia(self):
        records_request = make_filed(law=factories.law("us-foia"))
        records_request.deficiencies = ["no_exemption"]
        records_request.appeal_due = date(2027, 2, 14)
        return records_request

    def test_is_an_administrative_appeal_with_its_deadline(self, foia):
        body = denial_challenge_body(
            records_request=foia,
            denial=_adverse(foia),
            due=None,
            today=date(2026, 11, 20),
        )
        assert body.startswith("To the FOIA Appeals Officer,")
        assert "I appeal your adverse determination of Mon 16 Nov 2026" in body
        assert "5 U.S.C. §552(a)(6)(A)(i)(III)(aa) gives me the right to appeal" in body
        assert "The period for this appeal ends on Sun 14 Feb 2027" in body
        assert "cites no exemption" in body
        assert not any(cpra in body for cpra in CPRA_ONLY)

    def test_without_a_recorded_deadline_it_names_none(self, foia):
        foia.appeal_due = None
        body = denial_challenge_body(records_request=foia, denial=_adverse(foia), due=None)
        assert "period for this appeal" not in body
        assert "§552(a)(6)(A)(i)(III)(aa)" in body

    def test_after_the_deadline_it_does_not_claim_to_be_in_time(self, foia):
        body = denial_challenge_body(
            records_request=foia, denial=_adverse(foia), due=None, today=date(2027, 2, 15)
        )
        assert "ended on Sun 14 Feb 2027" in body and "filed within it" not in body

    def test_a_no_records_answer_is_appealed_with_a_new_search(self, foia):
        foia.deficiencies = []
        body = denial_challenge_body(
            records_request=foia,
            denial=_adverse(foia, DeterminationKind.NO_RECORDS),
            due=None,
        )
        assert "new search" in body
        assert "does not meet the requirements" not in body
