"""Calendar files (`.ics`): each event is evidence of a meeting.

What a calendar says, and how it becomes `Interaction`s (never `SourceRecord`s):

- each `VEVENT` is an `Interaction(kind="meeting", direction="both")`, with
  `occurred_at` its start as an aware UTC datetime; `thread` is the event's UID;
  `external_id` is `UID#start` (start as `YYYYMMDDTHHMMSSZ`, or `YYYYMMDD` for an
  all-day event); an event without UID uses a digest of its text instead;
  `locator` is `file:line` of its `BEGIN:VEVENT` (a reject's is the file's path,
  `export.zip!member` in a zip, and the line, so two `calendar.ics` are apart);
- times: `Z` is UTC; a `TZID` is resolved (IANA name, Mozilla-style path, the
  file's VTIMEZONE, a few Windows names); an all-day date is 00:00 UTC; a floating
  time, or a TZID nobody knows, is read as UTC and flagged in `extra`
  (`floating`, `unknown_tzid`);
- participants: `ORGANIZER` and `ATTENDEE` (`mailto:` address, else the `EMAIL`
  parameter of RFC 6638/7986 that Apple's CalendarServer and iCloud write beside
  a `urn:uuid:` value, owner detection included; `CN` as name),
  minus the owner's addresses (`ReadContext.me_emails`), minus attendees with
  `PARTSTAT=DECLINED`, minus rooms and resources (`CUTYPE=ROOM|RESOURCE`);
- an attendee with `PARTSTAT=NEEDS-ACTION` never answered: they are not at the
  meeting. When the invitation is the owner's (they are its ORGANIZER, or it names
  none), those people get an `Interaction(kind="invitation", direction="out")` of
  their own per occurrence, `external_id` `UID#start#unanswered`: an attempt,
  never engagement (DESIGN: an invitation never accepted is an attempt). Someone
  else's invitee who did not answer says nothing about the owner and is left out.
  The organizer is at the meeting they called whatever their attendee line says;
  a person listed twice is there if any line says so. `TENTATIVE` is an answer
  (the person replied to the invitation, as to an email) and counts as being
  there; so does an attendee whose line has no PARTSTAT (many producers omit it,
  although RFC 5545 defaults it to NEEDS-ACTION);
- a crowd is not a meeting with each person: an event inviting more people than
  the option `max_attendees` (default 25; the owner and those who declined
  counted, rooms not) is a town hall, a webinar, a conference session. It is kept,
  with every participant, but flagged as the mbox connector flags list mail
  (`extra = {"automated": True, "automated_by": why}`): it never counts as
  engagement and its people are not proposed by `unknown`;
- an event with no participant left is the owner's own appointment (a dentist, a
  focus block): it is skipped, by rule, and is not a reject;
- when the owner's address is on some event of the file (the calendar is theirs),
  an event they are not on, as ORGANIZER or as an ATTENDEE who did not decline, is
  someone else's meeting (a shared or subscribed calendar, an invitation they
  declined): skipped, by rule. An event inviting a group (`CUTYPE=GROUP`) is kept,
  the owner may be in it. When the owner is on no event of the file (an address
  missing from `[me]`), every event counts as theirs, as before;
- `STATUS:CANCELLED` events are ignored; a cancelled override cancels its
  occurrence; only the newest version of an event (its UID and RECURRENCE-ID;
  SEQUENCE, then DTSTAMP) is read, across the files read together: a
  cancellation (`STATUS:CANCELLED` or `METHOD:CANCEL`) cancels the invitation in
  the same file or in another file of the folder, and a rescheduled invitation
  keeps only its new time (`versions.py`). The calendars of one folder are read
  again together when one of them changes;
- a line folded in the middle of a UTF-8 character is put back together before
  decoding (`lines.py`, with the vCard connector's repair); a VTIMEZONE's TZID is
  unescaped (`\\,`) before it is matched;
- recurring events (`RRULE`, `RDATE`, `EXDATE`, `RECURRENCE-ID` overrides) are
  expanded up to `ReadContext.as_of` (a date means that whole day, UTC; default
  today), keeping at most 500 occurrences per event, the most recent ones
  (`extra["truncated"]` says so); see `recurrence.py` for the other bounds. A
  single, non-recurring event is kept whatever its date: the engagement stage
  ignores what lies after its own as-of date;
- so a file holding an `RRULE` yields more as days pass, unchanged: its unit's
  fingerprint carries the expansion date, and the first sync of each day (UTC)
  reads it again (stored occurrences keep their ids, new ones are added, an
  occurrence an edit removed is tombstoned). A file without one is read again
  only when it changes;
- the same occurrence twice in one file (a calendar exported twice into one file)
  is yielded once;
- a broken event (a line vobject cannot parse, no `DTSTART`, a bad date, an
  unreadable `RRULE`, no `END:VEVENT`) is a `Reject` at its `file:line`, and the
  events after it are still read. Lines outside any event that are not the
  calendar's own properties (`VERSION`, `PRODID`, `X-...`) nor a component not read
  (`VTODO`) are one `garbage` reject per run of them, at its first line: what is
  left of an event whose `BEGIN:VEVENT` was damaged, up to the `END:VEVENT` that
  closes nothing. A `.ics` file holding no `BEGIN:VCALENDAR` nor any event (a
  vCard saved as .ics) is one reject naming the vcard connector;
- size: an event over 16 MiB is one `too-large-event` reject and is not buffered;
  one over 256 KiB (an attachment, an HTML description) is parsed with only the
  properties read (`bounds.py`: vobject's memory is ~150 times its input), and a
  line in it that is not a property makes it a reject at that line. What a reject
  quotes of the input is shortened.
"""

from .connector import IcsConnector

__all__ = ["IcsConnector"]
