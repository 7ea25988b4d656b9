"""Search as its users meet it: what each person finds, the snippets, the filters; on
SQLite and (with DATABASE_URL) PostgreSQL's full-text search."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from rtcc_requests.accounts.models import Membership, Role
from rtcc_requests.accounts.organizations import organization_create
from rtcc_requests.documents.search import SearchFilters, search
from rtcc_requests.documents.services import document_read
from rtcc_requests.requests.choices import Visibility

from .. import factories
from ..support.scans import text_pdf
from .conftest import released

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 3)
ANONYMOUS = AnonymousUser()


def _read(records_request, name, text, **kwargs):
    document = released(records_request, name, text_pdf([text]), **kwargs)
    document_read(document_id=document.pk)
    return document


def _find(user, query, kind="documents", **filters):
    return search(user=user, today=TODAY, query=query, kind=kind, filters=SearchFilters(**filters))


def _titles(results):
    return [hit.title for hit in results.hits]


PAGE = "The Flock Safety automated license plate reader retains every plate for thirty days."


def test_a_visitor_finds_public_documents_only(public_request, private_request):
    _read(public_request, "public-policy.pdf", PAGE)
    _read(private_request, "private-policy.pdf", PAGE)
    results = _find(ANONYMOUS, "license plate")
    assert _titles(results) == ["public-policy.pdf"]
    assert results.counts["documents"] == 1


def test_the_owner_also_finds_their_private_request_and_private_replies(
    public_request, private_request
):
    _read(private_request, "private-policy.pdf", PAGE)
    _read(public_request, "kept-private.pdf", PAGE, private=True)
    owner_results = _find(private_request.owner, "license plate")
    assert _titles(owner_results) == ["private-policy.pdf"]
    assert _titles(_find(public_request.owner, "license plate")) == ["kept-private.pdf"]
    assert _find(ANONYMOUS, "license plate").counts == {"documents": 0, "requests": 0, "letters": 0}


def test_an_organizations_viewer_reads_its_request_but_not_its_private_replies(
    private_request, user
):
    organization = organization_create(name="Fresno Newsroom", creator=user)
    viewer = factories.UserFactory()
    Membership.objects.create(organization=organization, user=viewer, role=Role.VIEWER)
    private_request.organization = organization
    private_request.save(update_fields=["organization"])
    _read(private_request, "released.pdf", PAGE)
    _read(private_request, "private-copy.pdf", PAGE, private=True)
    assert _titles(_find(viewer, "license plate")) == ["released.pdf"]
    assert sorted(_titles(_find(user, "license plate"))) == ["private-copy.pdf", "released.pdf"]
    Membership.objects.filter(user=viewer).delete()
    assert _titles(_find(viewer, "license plate")) == []


def test_an_embargoed_request_is_found_only_after_its_embargo(public_request):
    public_request.visibility = Visibility.EMBARGOED
    public_request.embargo_until = date(2026, 12, 10)
    public_request.save(update_fields=["visibility", "embargo_until"])
    _read(public_request, "embargoed.pdf", PAGE)
    assert _titles(_find(ANONYMOUS, "license plate")) == []
    later = search(user=ANONYMOUS, today=date(2026, 12, 10), query="license plate",
                   filters=SearchFilters())  # fmt: skip
    assert _titles(later) == ["embargoed.pdf"]


def test_the_snippet_marks_the_words_and_escapes_the_agencys_text(public_request):
    _read(public_request, "memo.pdf", "Note &lt;script&gt;alert(1)&lt;/script&gt; " + PAGE)
    [hit] = _find(ANONYMOUS, "license").hits
    assert "<mark>" in hit.snippet and "license" in hit.snippet.lower()
    # Escaped (SQLite) or dropped as markup by ts_headline (PostgreSQL): never a tag.
    assert "<script>" not in hit.snippet and "alert(1)" in hit.snippet
    assert hit.page == 1 and hit.url.endswith("?page=1#page-1")


def test_requests_and_letters_are_searched_too(public_request):
    public_request.title = "Predictive policing efficacy records"
    public_request.save(update_fields=["title"])
    _read(public_request, "predpol.pdf", "PredPol efficacy evaluation for the Fresno district.")
    assert _titles(_find(ANONYMOUS, "efficacy", kind="requests")) == [
        "Predictive policing efficacy records"
    ]
    letters = _find(ANONYMOUS, "responsive records", kind="letters")
    assert letters.counts["letters"] == 1
    assert letters.hits[0].title == "Records: predpol.pdf"


def test_filters_narrow_by_agency_technology_year_and_determination(public_request):
    other = factories.filed_request(received=date(2025, 5, 1), visibility=Visibility.PUBLIC)
    _read(public_request, "this-agency.pdf", PAGE)
    _read(other, "other-agency.pdf", PAGE)
    assert _titles(_find(ANONYMOUS, "plate", agency=public_request.agency.slug)) == [
        "this-agency.pdf"
    ]
    assert _titles(_find(ANONYMOUS, "plate", year=2025)) == []  # received now, not in 2025
    assert len(_find(ANONYMOUS, "plate", status=public_request.status).hits) == 2
    assert _find(ANONYMOUS, "plate", status="denied").hits == []
    technology = public_request.technologies.first()
    other.technologies.clear()
    assert _titles(_find(ANONYMOUS, "plate", technology_id=technology.pk)) == ["this-agency.pdf"]


def test_the_number_of_queries_does_not_grow_with_the_results(
    public_request, django_assert_max_num_queries
):
    for number in range(25):
        _read(public_request, f"policy-{number}.pdf", PAGE)
    with django_assert_max_num_queries(6):
        results = _find(public_request.owner, "license plate")
    assert len(results.hits) == 20 and results.has_next and results.counts["documents"] == 25


def test_the_search_page_and_its_json(client, public_request, private_request):
    _read(public_request, "public-policy.pdf", PAGE)
    _read(private_request, "private-policy.pdf", PAGE)
    page = client.get(reverse("documents:search"), {"q": "license plate"})
    assert page.status_code == 200
    assert b"public-policy.pdf" in page.content and b"private-policy.pdf" not in page.content
    data = client.get(reverse("documents:search_json"), {"q": "license plate"}).json()
    assert [r["title"] for r in data["results"]] == ["public-policy.pdf"]
    assert data["counts"]["documents"] == 1 and "<mark>" in data["results"][0]["snippet_html"]


def test_a_filter_that_cannot_be_read_keeps_the_search(client, public_request):
    _read(public_request, "public-policy.pdf", PAGE)
    page = client.get(reverse("documents:search"), {"q": "plate", "year": "19999", "page": "x"})
    assert page.status_code == 200
    assert b"public-policy.pdf" in page.content and b"not understood" in page.content


def test_a_query_of_one_letter_finds_nothing_and_does_not_fail(public_request):
    _read(public_request, "public-policy.pdf", PAGE)
    results = _find(ANONYMOUS, "x")
    assert results.hits == [] and results.query == "x"


def test_counts_stop_at_the_cap_and_say_so(client, public_request, monkeypatch):
    from rtcc_requests.documents import search as search_module

    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    for number in range(5):
        _read(public_request, f"policy-{number}.pdf", PAGE)
    results = _find(ANONYMOUS, "license plate")
    assert results.capped and results.total_label == "3+"
    assert len(results.hits) == (3 if results.full_text else 5)  # ranked within the window
    page = client.get(reverse("documents:search"), {"q": "license plate"}).content.decode()
    assert "Released records (3+)" in page and "3+ results" in page


def test_a_snippet_starts_and_ends_on_whole_words(public_request):
    words = " ".join(f"word{n}" for n in range(60))
    _read(public_request, "long.pdf", f"{words} license plate {words}")
    [hit] = _find(ANONYMOUS, "license").hits
    inner = str(hit.snippet).strip("… ").split()
    assert all(w.startswith(("word", "<mark>", "plate")) for w in inner), inner


@pytest.mark.parametrize("known_matches", [10, 2], ids=["every match listed", "more matches"])
def test_a_narrowed_search_is_ranked_among_the_newest_matches(
    public_request, monkeypatch, known_matches, django_assert_max_num_queries
):
    from rtcc_requests.documents import search as search_module

    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    monkeypatch.setattr(search_module, "KNOWN_MATCHES", known_matches)
    documents = [_read(public_request, f"policy-{number}.pdf", PAGE) for number in range(5)]
    technology = public_request.technologies.first()
    with django_assert_max_num_queries(5):
        results = _find(ANONYMOUS, "license plate", technology_id=technology.pk)
    assert results.capped and results.total_label == "3+"
    newest = {d.title for d in documents[-3:]}
    if results.full_text:
        assert set(_titles(results)) == newest
    else:
        assert len(results.hits) == 5 and set(_titles(results)[:3]) == newest
