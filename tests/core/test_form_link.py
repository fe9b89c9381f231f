"""A "Log contact" link: the district's Form, pre-filled as Forms' own pre-filled link writes it."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.core.letters import ContactForm

URL = "https://docs.google.com/forms/d/e/1FAIpQLSdx/viewform"
FORM = ContactForm(URL, "entry.111", "entry.222", "entry.333")


def test_a_school_name_with_a_comma_and_an_ampersand_is_encoded_whole() -> None:
    """`,` `&` and a space are percent-encoded (`%2C`, `%26`, `%20`), `ñ` as its UTF-8 bytes,
    so the Form receives the name whole and no answer spills into the next question."""
    assert FORM.link("Smith, Jones & Peña Academy", "Pat Lee", date(2025, 11, 24)) == (
        f"{URL}?usp=pp_url&entry.111=Smith%2C%20Jones%20%26%20Pe%C3%B1a%20Academy"
        "&entry.222=Pat%20Lee&entry.333=2025-11-24"
    )


def test_without_a_form_there_is_no_link() -> None:
    assert ContactForm().link("Adams Elementary", "Pat Lee", date(2025, 11, 24)) == ""


def test_a_question_without_an_entry_id_is_left_out() -> None:
    form = ContactForm(URL, facilitator_entry="entry.2")
    link = form.link("Adams", "Pat Lee", date(2025, 11, 24))
    assert link == f"{URL}?usp=pp_url&entry.2=Pat%20Lee"


@given(st.text(), st.text(), st.dates())
def test_any_names_arrive_in_the_form_as_written(school: str, name: str, day: date) -> None:
    """Whatever a school or a facilitator is called, the Form reads back exactly that."""
    parts = urlsplit(FORM.link(school, name, day))
    assert parts._replace(query="").geturl() == URL
    assert parse_qs(parts.query, keep_blank_values=True, errors="strict") == {
        "usp": ["pp_url"],
        "entry.111": [school],
        "entry.222": [name],
        "entry.333": [day.isoformat()],
    }
