#!/usr/bin/env bash
# The demo: import every shipped sample into one directory, then show it.
# Uses $RESEAUSYNC_DB when set, else ./reseausync.db. Safe to run twice: the
# second import reports everything unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
export RESEAUSYNC_REGION="${RESEAUSYNC_REGION:-CA}"
export RESEAUSYNC_CONFIG="${RESEAUSYNC_CONFIG:-samples/reseausync.toml}"
# The import below goes to this directory, not to the one the config names for
# its sources ([directory] path): that one is the sync's, further down.
export RESEAUSYNC_DB="${RESEAUSYNC_DB:-reseausync.db}"

samples=()
for s in samples/phone.vcf samples/linkedin samples/google.csv samples/outlook.csv \
         samples/cards samples/calendar.ics samples/mail samples/interactions.csv; do
    [ -e "$s" ] && samples+=("$s")
done

echo "\$ reseausync import ${samples[*]}"
reseausync import "${samples[@]}"
echo
echo "\$ reseausync contacts"
reseausync contacts
echo
echo "\$ reseausync cold"
reseausync cold
echo
echo "\$ reseausync stats"
reseausync stats
echo
echo "\$ reseausync unknown        # met, but in no address book"
reseausync unknown
echo
jf=$(reseausync contacts --search "Jean-François" --format csv | sed -n 2p | cut -d, -f1)
echo "\$ reseausync show $jf      # where each value came from, why merged, engagement"
reseausync show "$jf"
echo
mike=$(reseausync contacts --search "Rossi" --format csv | sed -n 2p | cut -d, -f1)
echo "\$ reseausync show $mike      # a misread card (\"Mlke\") joins Mike by phone and email"
reseausync show "$mike" | sed -n '/^Why/,/^$/p'
echo "# Daniel and Danielle Roy share a landline and a mailbox: two people, two contacts"
echo
echo "\$ reseausync review     # pairs that might be one person: here relatives sharing a phone, kept apart"
reseausync review
echo
read -r marie1 marie2 <<< "$(reseausync contacts --search "Marie Tremblay" --format csv \
    | sed -n '2,3p' | cut -d, -f1 | tr '\n' ' ')"
echo "\$ reseausync link $marie1 $marie2        # the two Marie Tremblays, linked by mistake"
reseausync link "$marie1" "$marie2"
echo "\$ reseausync link --undo $marie1 $marie2 # withdrawn: two contacts again, ids as before"
reseausync link --undo "$marie1" "$marie2"
echo
echo "\$ reseausync rejects"
reseausync rejects
echo
echo "\$ reseausync import samples/Basic_LinkedInDataExport_11-20-2026.zip   # the same export, zipped"
reseausync import samples/Basic_LinkedInDataExport_11-20-2026.zip
echo "# every connection unchanged: where a record was read is not what it says"
echo
echo "# The same samples as configured sources (samples/reseausync.toml), in a second directory:"
SYNC_DB="${RESEAUSYNC_DB%.db}-sync.db"
echo "\$ reseausync sync --db $SYNC_DB"
reseausync sync --db "$SYNC_DB"
echo "\$ reseausync sync --db $SYNC_DB --source phone   # again: nothing changed, nothing re-read"
reseausync sync --db "$SYNC_DB" --source phone
