"""The hand-kept interactions log: a CSV for the meetings that leave no file.

A coffee, a "5 à 7", a beer after the game: a person writes one row per
interaction, and each row becomes one `Interaction` (never a `SourceRecord`).

The file: a CSV (any encoding `reseausync.files` can sniff; delimiter `,`, `;`,
tab or `|`, whichever the header uses most) whose header has a date column and at
least one column naming people. Header names are matched without regard to case,
accents, spaces, dashes or underscores; the full lists are `columns.COLUMNS`:

- date (required): date, when, datetime, date/time, day; quand, date et heure, jour;
- who (this or one of the next three required): who, with, person, people,
  contact(s), participant(s); qui, avec, personne(s);
- email: email, e-mail, mail, courriel; phone: phone, telephone, tel, mobile,
  cell, cellulaire; name: name, full name, nom, nom complet;
- channel: channel, kind, type, how, medium, via; canal, moyen;
- note: note(s), subject, summary, what, description, comment(s); sujet, quoi,
  objet, commentaire(s);
- direction: direction; sens.

So `date,who,channel,note` and `date;qui;canal;note` are both logs.

A row:

- `date`: `2026-11-10`, `2026-11-10 18:00`, `2026-11-10 18h00`,
  `2026-11-10T18:00:00-05:00` (`/` or `.` also separate the date). A date alone
  is 00:00 UTC (`extra["all_day"]`); a time without a zone is read as UTC so that
  the day written is the day stored (`extra["floating"]`): `show` prints both as
  written. A log saved by a spreadsheet has its dates in the locale's
  short form, `3/1/2026 18:00` (en-US), `01/03/2026` (fr-FR), `01.03.2026`
  (de-DE), times possibly with AM/PM: which number is the day is decided once
  for the file from all its dates (`reseausync_connectors.dateorder`: a first
  number above 12 is a day, and so is a second one; with none, a `;`-separated
  file is day first, any other month first); a date that does not exist in
  that order is a `bad-date` reject;
- `who`: one or more people separated by `;`, each an email (or `Name <email>`),
  a LinkedIn profile URL, a phone number (7 digits or more), else a name. A
  comma separates people too when the cell holds emails, as a mail client
  writes them (`Paul <paul@kpmg.ca>, Zoé <zoe@example.com>`); `Tremblay, Jean
  <jf@acme.ca>` stays one person and `Tremblay, Jean` one name. The
  separate email/phone/name columns describe people position by position, and
  are merged with `who` when both name exactly one person;
- `channel` gives the kind (`columns.CHANNELS`, first match in this order):
  email (email, mail, courriel) → "email"; call (call, phone, appel, téléphone,
  video, visio, zoom, teams, facetime...) → "call"; message (message, sms, text,
  texto, chat, whatsapp, linkedin...) → "message"; meeting (meeting, rencontre,
  réunion, rdv, coffee, café, lunch, dîner, souper, beer, bière, drink, verre,
  apéro, "5 à 7", visit, event, game, match, in person...) → "meeting"; anything
  else or empty → "note". The channel as written is kept in `extra["channel"]`;
- `note` is kept as the interaction's subject;
- `direction` (in / out / both / none, also received, sent, reçu, envoyé, les
  deux...) defaults to "both"; an unrecognised value is "both" and kept in
  `extra["direction_written"]`. A received ("in") email or message is credited to
  the first person of the row, who wrote it; the others were copied on it.

`external_id` is `row-` and a digest of the row's cells (stable while the row is
unchanged; the same row written twice gets `-2`); `locator` is `<path>:<line>`, the
path as given (or `<zip>!<member>:<line>`), as for contact CSVs and LinkedIn: two
folders' `journal.csv` must not share locations.
Blank rows and rows whose first cell starts with `#` are skipped. A row with no
date, an unreadable date, or nobody in it is a `Reject` at its `file:line`; the
next rows are still read. A file without a log header is one reject.
"""

from .connector import InteractionsLogConnector

__all__ = ["InteractionsLogConnector"]
