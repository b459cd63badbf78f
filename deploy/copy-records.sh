#!/usr/bin/env bash
# On the office machine: collect each terminal's records, then check them.
#   deploy/copy-records.sh office-records/ kiosk@reception.local kiosk@staffroom.local
# Records are only ever added, never changed, so --ignore-existing copies
# the new ones and leaves what the office already holds alone. Keep a copy
# of each terminal's terminal.pub that you trust (written down or copied on
# the day the terminal was set up) in office-records/keys/.
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
for pub in "$dest"/keys/*.pub; do keys+=(--key "$pub"); done
kiosk verify "$dest" "${keys[@]}" --config /dev/null/none
