"""Each school's standing, worked out by hand from the definitions in PRODUCT.md §3.

Unless a test says otherwise: the school year is 2025-08-01..2026-06-30, required months
Sep..May, due_soon_days 7, principal meeting by 09-30, quarters Aug-Oct, Nov-Jan, Feb-Apr,
May-Jun, evaluation grace 14 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sheets_sync.core.issues import Issue, Severity
from sheets_sync.core.records import Activity, Contact, Member, Period, School
from sheets_sync.core.settings import Rules, SchoolYear, Settings
from sheets_sync.core.standing import Standing, compute_standings
from sheets_sync.core.standing_text import (
    celebration_text,
    cluster_text,
    missed_months_text,
    principal_meeting_text,
    team_check,
    this_month_text,
    types_text,
)
from sheets_sync.core.vocab import InvolvementTypes

ADAMS, BAKER, COLE = "Adams ES", "Baker MS", "Cole HS"
SETTINGS = Settings()

NNPS = InvolvementTypes("nnps")


def school(name: str = ADAMS, *, active: bool = True) -> School:
    return School(name=name, row=2, code="0042", facilitator="Pat Lee", active=active)


def contact(day: str, *schools: str, kind: str = "Site Visit", counts: bool = True) -> Contact:
    return Contact(
        row=2, day=date.fromisoformat(day), schools=schools or (ADAMS,), type=kind, counts=counts
    )


def principal(day: str) -> Contact:
    return contact(day, kind="Principal Meeting")


def cluster(day: str) -> Contact:
    return contact(day, kind="Cluster Meeting")


def activity(
    involvement: int | None = 1,
    *,
    status: str | None = "Planned",
    on: str | None = None,
    month: tuple[str, str] | None = None,
    evaluated: bool = False,
    goal: str = "Raise reading scores",
    goal_type: str = "Academic",
) -> Activity:
    when = None
    if on is not None:
        when = Period(date.fromisoformat(on), date.fromisoformat(on))
    if month is not None:
        when = Period(date.fromisoformat(month[0]), date.fromisoformat(month[1]))
    return Activity(
        school=ADAMS,
        row=2,
        goal=goal,
        goal_type=goal_type,
        activity="Family night",
        involvement=involvement,
        when=when,
        status=status,
        evaluated=evaluated,
    )


def issue(code: str, severity: Severity = "error", schools: tuple[str, ...] = (ADAMS,)) -> Issue:
    return Issue(severity, "Team Roster", "A2", code, "problem", "fix", schools, 2, 1)


def one(
    today: str,
    *,
    contacts: Sequence[Contact] = (),
    activities: Sequence[Activity] = (),
    members: Sequence[Member] = (),
    issues: Sequence[Issue] = (),
    settings: Settings = SETTINGS,
) -> Standing:
    found = compute_standings(
        [school()], members, activities, contacts, issues, settings, date.fromisoformat(today)
    )
    assert len(found) == 1
    return found[0]


# -- months ------------------------------------------------------------------------------


def test_last_day_of_a_required_month_is_not_yet_missed() -> None:
    """On 30 Sep with no contact, Sep is still due today, not missed."""
    s = one("2025-09-30")
    assert s.missed_months == ()
    assert missed_months_text(s) == ""
    assert (s.this_month, s.days_left, this_month_text(s)) == ("Due", 0, "Due today")
    # 0 days left <= 7: needs attention; the principal deadline is today, so still Due by.
    assert s.status == "Needs attention"
    assert s.reasons == ("Sep due today",)
    assert principal_meeting_text(s) == "Due by 2025-09-30"


def test_first_day_of_the_next_month_makes_it_missed_and_overdue() -> None:
    """On 1 Oct with no contact ever, Sep is missed and the school is Overdue."""
    s = one("2025-10-01")
    assert [(m.year, m.month) for m in s.missed_months] == [(2025, 9)]
    assert missed_months_text(s) == "Sep"
    # Oct has 31 days: 31 - 1 = 30 left.
    assert (s.this_month, s.days_left, this_month_text(s)) == ("Due", 30, "Due (30 days left)")
    assert s.status == "Overdue"
    assert s.reasons == ("no contact in Sep", "principal meeting overdue")


def test_due_soon_edge_eight_days_left_is_on_track() -> None:
    """On 23 Oct, 8 days are left (31 - 23), more than due_soon_days 7: On track."""
    s = one("2025-10-23", contacts=[principal("2025-09-12")])
    assert (s.this_month, s.days_left, this_month_text(s)) == ("Due", 8, "Due (8 days left)")
    assert s.status == "On track"
    assert s.reasons == ()


def test_due_soon_edge_seven_days_left_needs_attention() -> None:
    """On 24 Oct, 7 days are left, within due_soon_days 7: Needs attention."""
    s = one("2025-10-24", contacts=[principal("2025-09-12")])
    assert (s.this_month, s.days_left, this_month_text(s)) == ("Due", 7, "Due (7 days left)")
    assert s.status == "Needs attention"
    assert s.reasons == ("Oct due in 7 days",)


def test_one_day_left_is_singular() -> None:
    """On 30 Oct one day is left and the text says `day`, not `days`."""
    s = one("2025-10-30", contacts=[principal("2025-09-12")])
    assert this_month_text(s) == "Due (1 day left)"
    assert s.reasons == ("Oct due in 1 day",)


def test_this_month_done_and_last_contact() -> None:
    """A counting contact this month makes it Done; the latest one is the last contact."""
    s = one(
        "2025-10-20",
        contacts=[principal("2025-09-12"), contact("2025-10-14"), contact("2025-10-02")],
    )
    assert (s.this_month, s.days_left, this_month_text(s)) == ("Done", None, "Done")
    assert s.last_contact == date(2025, 10, 14)
    assert s.last_contact == date(2025, 10, 14)
    assert s.days_since_contact == 6  # 20 - 14
    assert s.status == "On track"


def test_month_not_required_is_blank_and_school_on_track() -> None:
    """In August (not required) with no contact, This Month is blank and nothing is missed."""
    s = one("2025-08-20")
    assert (s.this_month, this_month_text(s)) == ("", "")
    assert s.last_contact is None
    assert s.days_since_contact is None
    assert s.last_contact is None
    assert s.status == "On track"


def test_this_month_blank_outside_the_school_year() -> None:
    """In July after the year's end This Month is blank, even with a contact that month."""
    s = one("2026-07-10", contacts=[contact("2026-07-02")])
    assert (s.this_month, this_month_text(s)) == ("", "")


def test_missed_months_listed_in_order() -> None:
    """Contacts in Oct and Dec only, on 5 Dec: Sep and Nov are missed, Dec is done."""
    s = one(
        "2025-12-05",
        contacts=[contact("2025-12-01"), contact("2025-10-09"), principal("2025-09-30")],
    )
    # The principal meeting on 30 Sep counts for Sep too, so only Nov is missed here.
    assert missed_months_text(s) == "Nov"
    s = one("2025-12-05", contacts=[contact("2025-12-01"), contact("2025-10-09")])
    assert missed_months_text(s) == "Sep, Nov"
    assert s.reasons[0] == "no contact in Sep, Nov"


def test_last_ended_month_missed_but_this_month_done_needs_attention() -> None:
    """Nov missed but a contact already in Dec: Needs attention, not Overdue."""
    s = one(
        "2025-12-05",
        contacts=[principal("2025-09-12"), cluster("2025-10-09"), contact("2025-12-01")],
    )
    assert missed_months_text(s) == "Nov"
    assert s.this_month == "Done"
    assert s.status == "Needs attention"
    assert s.reasons == ("no contact in Nov",)


def test_last_ended_month_missed_and_none_this_month_is_overdue() -> None:
    """Nov missed and no contact yet in Dec: Overdue."""
    s = one("2025-12-05", contacts=[principal("2025-09-12"), contact("2025-10-09")])
    assert s.status == "Overdue"
    assert this_month_text(s) == "Due (26 days left)"  # 31 - 5


def test_earlier_missed_month_only_needs_attention() -> None:
    """Oct missed but Nov (the last ended) had a contact: Needs attention."""
    s = one(
        "2025-12-10",
        contacts=[principal("2025-09-12"), cluster("2025-09-18"), contact("2025-11-03")],
    )
    assert missed_months_text(s) == "Oct"
    assert s.status == "Needs attention"
    assert s.reasons == ("no contact in Oct",)


def test_contact_for_several_schools_counts_for_each() -> None:
    """One cluster row for two schools counts for both and not for a third."""
    shared = contact("2025-09-18", ADAMS, BAKER, kind="Cluster Meeting")
    found = compute_standings(
        [school(ADAMS), school(BAKER), school(COLE)],
        [],
        [],
        [shared],
        [],
        SETTINGS,
        date(2025, 10, 5),
    )
    by_name = {s.name: s for s in found}
    assert by_name[ADAMS].last_contact == date(2025, 9, 18)
    assert by_name[BAKER].last_contact == date(2025, 9, 18)
    assert cluster_text(by_name[BAKER]) == "Q1 attended"
    assert by_name[COLE].last_contact is None
    assert missed_months_text(by_name[COLE]) == "Sep"


def test_school_named_twice_on_one_contact_counts_once() -> None:
    """A contact row naming the same school twice is one contact for it."""
    s = one("2025-09-20", contacts=[contact("2025-09-18", ADAMS, ADAMS)])
    assert s.months[1].contacts == 1  # months[1] is Sep 2025


def test_future_dated_contact_is_ignored() -> None:
    """A contact the reader marked as not counting (dated after today) does nothing."""
    s = one("2025-10-10", contacts=[contact("2025-10-20", counts=False)])
    assert s.this_month == "Due"
    assert s.last_contact is None
    assert s.months[2].contacts == 0  # Oct 2025


def test_contact_the_reader_did_not_count_is_ignored() -> None:
    """A past-dated contact with counts=False (the reader's word is final) does nothing."""
    s = one("2025-10-10", contacts=[contact("2025-10-05", counts=False)])
    assert s.this_month == "Due"
    assert s.contacts_this_year == 0


def test_presentation_does_not_count() -> None:
    """A Presentation is not a counting type, so the month stays Due."""
    s = one("2025-10-10", contacts=[contact("2025-10-05", kind="Presentation")])
    assert s.this_month == "Due"
    assert s.last_contact is None
    assert s.contacts_this_year == 0


def test_contact_before_the_school_year_does_not_count() -> None:
    """A visit in July, before the year starts, is no last contact and fills no month."""
    s = one("2025-08-20", contacts=[contact("2025-07-20")])
    assert s.last_contact is None
    assert s.contacts_this_year == 0


def test_month_tallies_cover_the_whole_year() -> None:
    """Eleven months Aug..Jun, with counts, required flags and begun/ended on 15 Oct."""
    s = one(
        "2025-10-15",
        contacts=[contact("2025-09-02"), contact("2025-09-20"), contact("2025-10-01")],
    )
    assert [m.label for m in s.months][:3] == ["Aug 2025", "Sep 2025", "Oct 2025"]
    assert s.months[-1].label == "Jun 2026"
    assert len(s.months) == 11
    assert [m.contacts for m in s.months[:4]] == [0, 2, 1, 0]
    assert [m.required for m in s.months[:2]] == [False, True]
    assert [(m.begun, m.ended) for m in s.months[1:4]] == [
        (True, True),
        (True, False),
        (False, False),
    ]


def test_inactive_school_is_absent() -> None:
    """An inactive school gets no standing."""
    found = compute_standings(
        [school(ADAMS), school(BAKER, active=False)], [], [], [], [], SETTINGS, date(2025, 10, 1)
    )
    assert [s.name for s in found] == [ADAMS]


# -- principal meeting -------------------------------------------------------------------


def test_principal_meeting_done_uses_the_earliest() -> None:
    """Meetings on 3 Oct and 20 Sep: the earliest, 20 Sep, is on time."""
    s = one("2025-10-10", contacts=[principal("2025-10-03"), principal("2025-09-20")])
    assert s.principal_meeting == "Done"
    assert s.principal_meeting_on == date(2025, 9, 20)
    assert principal_meeting_text(s) == "Done 2025-09-20"


def test_principal_meeting_on_the_deadline_is_done() -> None:
    """A meeting on 30 Sep, the deadline itself, is on time."""
    s = one("2025-10-10", contacts=[principal("2025-09-30")])
    assert principal_meeting_text(s) == "Done 2025-09-30"


def test_principal_meeting_late() -> None:
    """A first meeting on 3 Oct, after the 30 Sep deadline, is Late."""
    s = one("2025-10-10", contacts=[principal("2025-10-03")])
    assert principal_meeting_text(s) == "Late 2025-10-03"
    assert "principal meeting overdue" not in s.reasons


def test_principal_meeting_due_by() -> None:
    """Before the deadline with no meeting it is Due by the deadline."""
    s = one("2025-09-15")
    assert s.principal_meeting == "Due"
    assert s.principal_deadline == date(2025, 9, 30)
    assert principal_meeting_text(s) == "Due by 2025-09-30"


def test_principal_meeting_overdue() -> None:
    """After the deadline with no meeting (a not-yet-counting one aside) it is Overdue."""
    s = one(
        "2025-10-10",
        contacts=[
            contact("2025-09-05"),
            contact("2025-10-03"),
            contact("2025-10-20", kind="Principal Meeting", counts=False),
        ],
    )
    assert principal_meeting_text(s) == "Overdue"
    assert s.status == "Needs attention"
    assert s.reasons == ("principal meeting overdue",)


def test_principal_deadline_is_the_first_such_day_after_the_start() -> None:
    """A year starting 1 Oct with a 30 Sep deadline means 30 Sep of the next calendar year."""
    settings = Settings(year=SchoolYear(date(2025, 10, 1), date(2026, 9, 30)))
    s = one("2025-10-10", settings=settings)
    assert principal_meeting_text(s) == "Due by 2026-09-30"


# -- cluster meetings --------------------------------------------------------------------


def test_quarters_including_the_wrapping_one_attended() -> None:
    """On 10 Feb: Q1 (Aug-Oct) and Q2 (Nov-Jan, met in Jan) attended, Q3 pending."""
    s = one("2026-02-10", contacts=[cluster("2025-09-18"), cluster("2026-01-15")])
    assert cluster_text(s) == "Q1 attended, Q2 attended, Q3 pending"
    assert (s.quarters[1].first, s.quarters[1].last) == (date(2025, 11, 1), date(2026, 1, 31))
    assert s.quarters[1].attended_on == date(2026, 1, 15)
    assert not s.last_quarter_missed


def test_last_quarter_missed() -> None:
    """No cluster meeting in Nov-Jan, seen on 10 Feb: Q2 missed, and that is a reason."""
    s = one(
        "2026-02-10",
        contacts=[principal("2025-09-12"), cluster("2025-09-18"), contact("2026-02-02")]
        + [contact(d) for d in ("2025-10-02", "2025-11-02", "2025-12-02", "2026-01-02")],
    )
    assert cluster_text(s) == "Q1 attended, Q2 missed, Q3 pending"
    assert s.last_quarter_missed
    assert s.status == "Needs attention"
    assert s.reasons == ("Q2 cluster meeting missed",)


def test_an_earlier_missed_quarter_is_not_the_last() -> None:
    """Q1 missed but Q2 attended: the last ended quarter was not missed."""
    s = one("2026-02-10", contacts=[cluster("2025-12-04")])
    assert cluster_text(s) == "Q1 missed, Q2 attended, Q3 pending"
    assert not s.last_quarter_missed


def test_quarter_pending_on_its_last_day() -> None:
    """On 31 Jan, the last day of Nov-Jan, Q2 without a meeting is still pending."""
    s = one("2026-01-31", contacts=[cluster("2025-09-18")])
    assert cluster_text(s) == "Q1 attended, Q2 pending"


def test_no_quarter_begun_is_blank() -> None:
    """Before the year starts no quarter has begun: blank."""
    s = one("2025-07-20")
    assert cluster_text(s) == ""
    assert s.quarters == ()


def test_quarters_clipped_to_a_year_starting_in_september() -> None:
    """A year from 1 Sep still has Aug-Oct as Q1, from 1 Sep to 31 Oct."""
    settings = Settings(year=SchoolYear(date(2025, 9, 1), date(2026, 6, 30)))
    s = one("2026-06-10", settings=settings)
    assert [(q.number, q.first, q.last) for q in s.quarters] == [
        (1, date(2025, 9, 1), date(2025, 10, 31)),
        (2, date(2025, 11, 1), date(2026, 1, 31)),
        (3, date(2026, 2, 1), date(2026, 4, 30)),
        (4, date(2026, 5, 1), date(2026, 6, 30)),
    ]


# -- celebration -------------------------------------------------------------------------


def test_celebration_done() -> None:
    """A celebration on 28 May is Done with its date."""
    s = one("2026-06-10", contacts=[contact("2026-05-28", kind="Celebration")])
    assert (s.celebration, celebration_text(s)) == ("Done", "Done 2026-05-28")


def test_celebration_not_yet() -> None:
    """In June with no celebration it is Not yet."""
    s = one("2026-06-10")
    assert (s.celebration, celebration_text(s)) == ("Not yet", "Not yet")


def test_celebration_not_yet_on_the_years_last_day() -> None:
    """On 30 Jun, the year's last day, a celebration is still Not yet, not Missed."""
    assert celebration_text(one("2026-06-30")) == "Not yet"


def test_celebration_missed_after_the_year() -> None:
    """After the year ends with none in it (one in July is outside), it is Missed."""
    s = one("2026-07-05", contacts=[contact("2026-07-02", kind="Celebration")])
    assert (s.celebration, celebration_text(s)) == ("Missed", "Missed")


# -- plan and evaluations ----------------------------------------------------------------


def test_plan_coverage_ignores_a_cancelled_activity() -> None:
    """Types 1, 2, 4, 5, 6 plus a Cancelled type 3: five activities, 5 of 6, missing 3."""
    plan = [activity(n) for n in (1, 2, 4, 5, 6)] + [activity(3, status="Cancelled")]
    s = one("2025-09-10", activities=plan)
    assert s.plan_activities == 5
    assert s.types_covered == frozenset({1, 2, 4, 5, 6})
    assert s.types_missing == (3,)
    assert types_text(s, NNPS) == "5 of 6 (missing 3 Volunteering)"


def test_plan_coverage_full_empty_and_two_missing() -> None:
    """All six types read `6 of 6`; none `0 of 6`; two missing are both named in order."""
    full = one("2025-09-10", activities=[activity(n) for n in range(1, 7)])
    assert types_text(full, NNPS) == "6 of 6"
    assert types_text(one("2025-09-10"), NNPS) == "0 of 6"
    s = one("2025-09-10", activities=[activity(n) for n in (6, 1, 2, 4)])
    assert types_text(s, NNPS) == "4 of 6 (missing 3 Volunteering, 5 Decision Making)"


def test_plan_coverage_names_the_pta_standards() -> None:
    """Under the pta framework the missing type is named by its standard."""
    settings = Settings(framework="pta")
    s = one("2025-09-10", activities=[activity(n) for n in (1, 2, 4, 5, 6)], settings=settings)
    assert types_text(s, InvolvementTypes("pta")) == "5 of 6 (missing 3 Supporting Student Success)"


def test_goal_mix_counts_distinct_goals_per_type() -> None:
    """Goals differing only in case and spaces are one; a cancelled activity's goal is not."""
    plan = [
        activity(goal="Raise reading scores"),
        activity(goal="raise  Reading scores "),
        activity(goal="Math fluency"),
        activity(goal="Attendance", goal_type="Behavior"),
        activity(goal="Welcome", goal_type="Climate of Partnership", status="Cancelled"),
    ]
    s = one("2025-09-10", activities=plan)
    assert s.goal_mix == (("Academic", 2), ("Behavior", 1), ("Climate of Partnership", 0))


def test_evaluations_due() -> None:
    """On 20 Nov with 14 grace days, exactly the three activities marked due are due."""
    due_done = activity(2, status="Done")  # Done, not evaluated: due
    due_dated = activity(3, on="2025-11-05")  # 15 days ago > 14: due
    due_month = activity(4, month=("2025-10-01", "2025-10-31"))  # last day 20 days ago: due
    plan = [
        due_done,
        activity(1, status="Done", evaluated=True),  # evaluated
        due_dated,
        activity(5, on="2025-11-06"),  # exactly 14 days: not yet
        activity(6, status="Postponed", on="2025-10-01"),  # postponed
        activity(1, status="Cancelled", on="2025-10-01"),  # cancelled
        due_month,
        activity(2, month=("2025-11-01", "2025-11-30")),  # month not over
        activity(3),  # no date
    ]
    s = one("2025-11-20", activities=plan, contacts=[principal("2025-09-12")])
    assert s.evaluations_due == (due_done, due_dated, due_month)
    assert s.evaluations_due_count == 3
    assert "3 evaluations due" in s.reasons


def test_month_dated_activity_uses_the_months_last_day() -> None:
    """October's activity on 10 Nov is 10 days past 31 Oct (40 past 1 Oct): not due."""
    s = one("2025-11-10", activities=[activity(1, month=("2025-10-01", "2025-10-31"))])
    assert s.evaluations_due == ()


def test_one_evaluation_due_needs_attention() -> None:
    """A single Done activity without evaluation makes an otherwise fine school need attention."""
    s = one("2025-09-10", activities=[activity(1, status="Done")])
    assert s.status == "Needs attention"
    assert s.reasons == ("1 evaluation due",)


# -- team and data issues ----------------------------------------------------------------


def test_team_check_phrases_in_fixed_order_without_repeats() -> None:
    """Roster issues read as short phrases in the fixed order, each once; others are left out."""
    issues = [
        issue("roster.few-families", "warning"),
        issue("roster.term-ended", "warning"),
        issue("roster.no-chair"),
        issue("roster.term-ended", "warning"),
        issue("plan.empty"),
        issue("roster.no-chair", schools=(BAKER,)),
        issue("roster.large", "warning", schools=(BAKER,)),
    ]
    s = one("2025-09-10", issues=issues)
    assert s.team_problems == ("no chair", "few families", "term ended")
    assert team_check(s) == "no chair, few families, term ended"


def test_team_check_ok_and_member_count() -> None:
    """With no roster issue the check is OK, and members count only the school's own rows."""
    members = [Member(ADAMS, row) for row in (2, 3, 4)] + [Member(BAKER, 5)]
    s = one("2025-09-10", members=members)
    assert team_check(s) == "OK"
    assert s.team_problems == ()
    assert s.team_members == 3


def test_error_and_warning_counts() -> None:
    """Issues count, by severity, for every school they name and for no other."""
    issues = [
        issue("cell.required"),
        issue("cell.bad-date"),
        issue("roster.few-teachers", "warning"),
        issue("contact.duplicate", "error", schools=(ADAMS, BAKER)),
        issue("roster.no-chair", schools=(BAKER,)),
        issue("tab.missing", schools=()),
    ]
    found = compute_standings(
        [school(ADAMS), school(BAKER)], [], [], [], issues, SETTINGS, date(2025, 9, 10)
    )
    counts = {s.name: (s.errors, s.warnings) for s in found}
    assert counts == {ADAMS: (3, 1), BAKER: (2, 0)}
    assert found[0].reasons == ("3 data errors",)
    assert found[0].status == "Needs attention"
    assert len(found[0].issues) == 4


def test_a_warning_alone_keeps_on_track() -> None:
    """Warnings do not change the status."""
    s = one("2025-09-10", issues=[issue("roster.large", "warning")])
    assert (s.errors, s.warnings, s.status) == (0, 1, "On track")
    s = one("2025-09-10", issues=[issue("roster.no-chair")])
    assert (s.status, s.reasons) == ("Needs attention", ("1 data error",))


def test_custom_rules_are_followed() -> None:
    """Required months Oct only and due_soon_days 3: Sep is never missed, 4 days left is fine."""
    settings = Settings(rules=Rules(required_months=(10,), due_soon_days=3))
    s = one("2025-10-27", contacts=[principal("2025-09-12")], settings=settings)
    assert s.missed_months == ()
    assert (this_month_text(s), s.status) == ("Due (4 days left)", "On track")
    s = one("2025-11-02", contacts=[principal("2025-09-12")], settings=settings)
    assert (missed_months_text(s), this_month_text(s), s.status) == ("Oct", "", "Overdue")


def test_goal_mix_compares_goals_like_names() -> None:
    """`Raise reading scores` and `raise reading scores.` are one goal, as the plan rule says."""
    plan = [activity(goal="Raise reading scores"), activity(goal="raise reading scores.")]
    s = one("2025-09-10", activities=plan)
    assert s.goal_mix == (("Academic", 1), ("Behavior", 0), ("Climate of Partnership", 0))


def test_an_unreadable_status_is_due_for_evaluation_by_its_date() -> None:
    """With an unreadable Status (None) an activity 15 days past is due, one 14 days past not."""
    past = activity(1, status=None, on="2025-11-05")
    recent = activity(2, status=None, on="2025-11-06")
    s = one("2025-11-20", activities=[past, recent], contacts=[principal("2025-09-12")])
    assert s.evaluations_due == (past,)
