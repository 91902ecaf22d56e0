"""Mailboxes (`.mbox`, `.eml`, folders of them): each message is evidence of email.

Only headers are read (From, To, Cc, Bcc, Date, Subject, Message-ID, References,
In-Reply-To and the list/robot markers); bodies are skipped as the stream goes by
and never stored. An mbox is streamed, never loaded whole.

Each message becomes one `Interaction(kind="email")`:

- participants: the addresses of From, To and Cc, minus the owner's, each once, the
  sender first (the engagement stage credits a received mail to its sender only,
  never to the people copied on it); a message with nobody else on it (a note to
  self) is skipped, by rule. The Bcc of
  the owner's own mail counts too (only the sender's copy keeps a Bcc header, and
  the owner did write to those people); a Bcc on any other mail is ignored;
- `direction` is "out" when From is one of the owner's addresses, else "in". The
  owner's addresses are `ReadContext.me_emails` (`[me] emails`); without them, the
  address on most messages of the mailbox is guessed as the owner's, as the LinkedIn
  connector guesses (rule and limits in `owner.py`); when there is no honest guess
  (a single .eml, a tie), every direction is "none", never "in", and nobody is
  left out of the participants;
- `occurred_at` is the Date header in UTC ("GMT-0500" is the zone -0500, "CEST"
  +0200, "9:00 AM" 09:00; ISO 8601 and French, German or Spanish day and month
  names are read too; a date without a zone, or with one nobody knows, is read as
  UTC with `extra["floating"]` and a `date_problem`); a message whose Date is
  missing, unreadable, more than a day after its delivery or before 1980 takes
  the date of its delivery: its mbox From_ line, else its top Received: header
  (`dates.py`), with `extra["date_from"]` and `extra["date_problem"]` saying so;
- `external_id` is the Message-ID without angle brackets, else `sha256:` and a
  digest of From/To/Cc/Date/Subject; the same id twice in one file is yielded once;
- `thread` is the root of the conversation: the first id of References, else of
  In-Reply-To, else the message's own id; the engagement stage uses it to tell an
  answered mail from one nobody answered;
- `locator` is `file#N`, N the message's number in the file (1 for an .eml); for
  Apple Mail's `Inbox.mbox/mbox` the file is named by its folder, `Inbox.mbox#N`;
- drafts are left out, as LinkedIn's are: never sent, they answer nobody. A
  draft is a message labelled Drafts by Gmail (X-Gmail-Labels, without Sent), any
  message of a mailbox named Drafts, Brouillons, Templates or Unsent Messages,
  and one with Thunderbird's X-Mozilla-Draft-Info outside a Sent mailbox.

The automated-mail contract. Mailing lists and robots are not engagement, but they
are still yielded, so that nothing read disappears, with
`extra = {"automated": True, "automated_by": why}`. The engagement stage must ignore
interactions whose `extra["automated"]` is true. A message is automated when it has
`List-Id` or `List-Unsubscribe`, `Precedence: bulk|list|junk|auto_reply`,
`Auto-Submitted` other than "no", `X-Autoreply` or `X-Autorespond` (vacation
responders that write no Auto-Submitted), a `multipart/report` Content-Type
(delivery reports, read receipts), the null sender `Return-Path: <>`, a sender
whose local part is noreply / no-reply / donotreply / do-not-reply /
mailer-daemon / postmaster (with any suffix such as `noreply-billing@`) or
Exchange's `MicrosoftExchange` + 32 hex digits, or Gmail's Spam label.

Folders: see `connector.py` (Thunderbird's extensionless mail files and their
`.msf` indexes, Apple Mail's side files; a folder holding no mail is a reject).

Bad input: a message whose header block holds a line that is not a header, whose
From has no address, whose Date is missing or undecodable, or whose header block
exceeds 16 MiB (a mass mailing's 70,000-address Cc is 2 MB, and is read), is a
`Reject` (a missing or bad Date only without a dated From_ line or Received:
header) with the reason, located at `file:line` (the file's path,
`export.zip!member` for a zip member, and the line where the message starts: its
From_ line), its message starting "message N"; the messages after it
are still read. An empty file is one reject, "the file is empty".
"""

from .connector import MboxConnector

__all__ = ["MboxConnector"]
