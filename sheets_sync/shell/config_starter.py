"""The config `sheets-sync init` writes when there is none yet."""

from __future__ import annotations

from string import Template

from sheets_sync.shell.config_fields import toml_string

# Every section is present so that uncommenting one line is enough to change a setting.
_STARTER = Template("""\
# sheets-sync config, written by `sheets-sync init`.
#
# Only [workbook] is required. Every other setting is shown commented
# out at its default: remove the "# " in front of a line to change it. Relative paths are
# taken from this file's folder. Secrets never go here: the file names the environment
# variables that hold them. The reference is in README.md.

[workbook]
backend = "xlsx"                  # "xlsx" or "gsheets"
path = ${path}
# spreadsheet_id = ""             # gsheets: the part of the sheet's address after /d/
# credentials = ""                # gsheets: service-account JSON; blank: $$GOOGLE_APPLICATION_CREDENTIALS
# endpoint = ""                   # gsheets: another Sheets API root; blank for Google's
# retry_attempts = 6              # gsheets: tries per API call on 429, 5xx and timeouts
# retry_budget_seconds = 120      # gsheets: all tries and waits of one call together
# connect_timeout_seconds = 10    # gsheets: to connect to the API
# read_timeout_seconds = 60       # gsheets: longest wait for an answer

[school_year]
start = "08-01"                   # month-days: the year that contains today, rolling on by itself
end = "06-30"                     # (or full dates, 2025-08-01 and 2026-06-30, for one fixed year)

[program]
# district = ""                   # shown in emails and tab titles
# team_name = "Action Team for Partnerships"   # Colorado: "FSCP team"
# team_short = "ATP"
# framework = "nnps"              # "nnps" (six types) or "pta" (six National Standards)
# timezone = "America/New_York"   # IANA name; schedule times are in this zone

[rules]
# required_months = ["Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May"]   # a contact is due each of these
# counting_types = ["Site Visit", "Team Meeting", "Phone", "Email", "Virtual Meeting", "Training", "Cluster Meeting", "Principal Meeting", "Celebration"]
# due_soon_days = 7               # "Needs attention" when this month is due within this many days
# principal_meeting_by = "09-30"  # month-day inside the school year
# quarters = ["Aug-Oct", "Nov-Jan", "Feb-Apr", "May-Jun"]   # for cluster meetings
# team_min = 6                    # fewer members: an error
# team_max = 12                   # more members: a warning
# min_teachers = 2
# min_families = 2
# min_students_high_school = 2
# goal_mix = { "Academic" = 2, "Behavior" = 1, "Climate of Partnership" = 1 }   # goals expected per type
# evaluation_grace_days = 14      # days after an activity before its evaluation is due
# date_order = "month-first"      # or "day-first", for numeric dates like 3/10/2025

[columns]                         # the district's own headers, per tab and column (optional)
# contacts.facilitator = "Your name"
# contacts.school = "School(s)"

[tabs]
# schools = "Schools"
# facilitators = "Facilitators"
# roster = "Team Roster"
# plan = "Action Plan"
# contacts = "Contact Log"
# summary = "Summary"             # this tab and the three below are written by sheets-sync
# calendar = "Contact Calendar"
# issues = "Data Issues"
# run_log = "Run Log"

[email]
# transport = "outbox"            # "outbox" (writes .eml files) or "smtp"
# outbox_dir = "outbox"
# from = "Family Partnerships <partnerships@example.org>"
# reply_to = ""
# allowed_domains = []            # empty: every domain; else only these and their subdomains
# max_per_run = 200               # stops a runaway
# summer = false                  # scheduled emails between school years too
# district_recipients = []        # who gets the weekly district summary
# workbook_url = ""               # link shown in emails
# contact_form_url = ""           # a Google Form for logging contacts (…/viewform): see docs
# contact_form_fields = {}        # its entry ids: { school = "entry.1", date = "entry.3" }
# templates_dir = ""              # a district's own templates, overriding the packaged ones

[email.smtp]
# host = "localhost"
# port = 587
# security = "starttls"           # "starttls", "tls" or "none"
# username_env = "SMTP_USERNAME"  # the environment variable holding the user name
# password_env = "SMTP_PASSWORD"  # the environment variable holding the password
# timeout_seconds = 30

[schedule]
# sync_every_minutes = 15
# facilitator_digest = "monday 07:00"
# principal_summary = "first monday 07:30"
# district_summary = "monday 07:00"

[state]
# dir = "state"                   # ledger, lock, last run
""")  # noqa: E501  (one TOML line per setting, so uncommenting one line works)


def starter_config(workbook_path: str = "district.xlsx") -> str:
    """The starter config's text: a school year from 1 August to 30 June that rolls on by
    itself, so the file needs no edit when a year ends."""
    return _STARTER.substitute(path=toml_string(workbook_path))
