"""A phone-book card for the CLI tests that need a few people: UID, name and a
Montréal number (`PHONE_CARD.format(uid, name, last_four_digits)`)."""

PHONE_CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{0}\r\nFN:{1}\r\nTEL:+1514555{2}\r\n"
              "END:VCARD\r\n")
