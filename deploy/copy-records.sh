#!/usr/bin/env bash
# On the office machine: collect each terminal's records, then check them.
#   deploy/copy-records.sh office/ reception-1=kiosk@reception.local staffroom-1=kiosk@staffroom.local
# Each terminal's folder is copied from its own host only, so one kiosk can
# never write into another terminal's records here. Records are only ever
# added, never changed, so --ignore-existing copies the new ones and leaves
# what the office already holds alone; the signed head and the published key
# (which a key change replaces) are taken anew each time.
#
# The office folder holds, side by side:
#   office/records/<terminal>/   the collected books (what the kiosks send)
#   office/keys/<terminal>.pub   the key of each terminal that you trust
#                                (copied on the day the terminal was set up;
#                                compare its id with the school's register)
#   office/witness.log           every signed head verify found intact; a
#                                later run names a book that no longer holds
#                                one. Keep a copy of it off this machine too.
# Nothing a kiosk sends lands outside office/records/.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 OFFICE-FOLDER TERMINAL=HOST [TERMINAL=HOST ...]" >&2
    exit 2
fi
office=$1
shift
mkdir -p "$office/records"
for pair in "$@"; do
    terminal=${pair%%=*}
    host=${pair#*=}
    if ! [[ "$terminal" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || [ "$terminal" = "$pair" ]; then
        echo "copy-records: '$pair' is not TERMINAL=HOST (a terminal id is letters, digits, - and _)" >&2
        exit 2
    fi
    mkdir -p "$office/records/$terminal"
    rsync -a --ignore-existing --exclude .lock --exclude '.tmp-*' --exclude 'head.json*' --exclude 'terminal.p*' \
        "$host:/srv/kiosk/records/$terminal/" "$office/records/$terminal/"
    rsync -a --include 'head.json' --include 'head.json.minisig' --include 'terminal.pub' --include 'terminal.pem' --exclude '*' \
        "$host:/srv/kiosk/records/$terminal/" "$office/records/$terminal/"
done
keys=()
for pub in "$office"/keys/*.pub; do
    [ -e "$pub" ] || continue
    keys+=(--key "$(basename "$pub" .pub)=$pub")
done
if [ ${#keys[@]} -eq 0 ]; then
    echo "copy-records: no trusted keys in $office/keys/ (one <terminal>.pub per terminal); nothing can be verified" >&2
    exit 1
fi
kiosk verify "$office/records" "${keys[@]}" --witness "$office/witness.log" --config /dev/null/none
