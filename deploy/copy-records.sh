#!/usr/bin/env bash
# On the office machine: collect each terminal's records, then check them.
#   deploy/copy-records.sh office-records/ kiosk@reception.local kiosk@staffroom.local
# Records are only ever added, never changed, so --ignore-existing copies
# the new ones and leaves what the office already holds alone. Keep a copy
# of each terminal's terminal.pub that you trust (written down or copied on
# the day the terminal was set up) in office-records/keys/, named after the
# terminal: keys/reception-1.pub vouches for reception-1 and nothing else.
# Every head verify finds intact goes into office-records/witness.log; a
# later run that finds a book no longer holding a witnessed head says so.
# Keep a copy of witness.log off this machine too (it is the office's memory).
set -euo pipefail
dest=$1
shift
mkdir -p "$dest"
for host in "$@"; do
    rsync -a --ignore-existing --exclude .lock --exclude '.tmp-*' --exclude 'head.json*' "$host:/srv/kiosk/records/" "$dest/"
    # The signed head is the one file that moves on: always take the latest.
    rsync -a --include '*/' --include 'head.json' --include 'head.json.minisig' --exclude '*' "$host:/srv/kiosk/records/" "$dest/"
done
keys=()
for pub in "$dest"/keys/*.pub; do
    [ -e "$pub" ] || continue
    keys+=(--key "$(basename "$pub" .pub)=$pub")
done
if [ ${#keys[@]} -eq 0 ]; then
    echo "copy-records: no trusted keys in $dest/keys/ (one <terminal>.pub per terminal); nothing can be verified" >&2
    exit 1
fi
kiosk verify "$dest" "${keys[@]}" --witness "$dest/witness.log" --config /dev/null/none
