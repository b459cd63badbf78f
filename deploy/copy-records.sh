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
# Files only, with the office's own owner and modes: never a link, a device,
# a FIFO, a setuid bit or an owner that a kiosk chose.
copy=(rsync -rt --no-links --no-devices --no-specials --chmod=D0755,F0644)
failed=()
for pair in "$@"; do
    terminal=${pair%%=*}
    host=${pair#*=}
    if ! [[ "$terminal" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || [ "$terminal" = "$pair" ]; then
        echo "copy-records: '$pair' is not TERMINAL=HOST (a terminal id is letters, digits, - and _)" >&2
        exit 2
    fi
    from="$host:/srv/kiosk/records/$terminal/"
    to="$office/records/$terminal/"
    mkdir -p "$to"
    # The head first: records are only ever added, so every record it names
    # is there when the records are copied after it.
    if ! "${copy[@]}" --include 'head.json' --include 'head.json.minisig' --include 'terminal.pub' --include 'terminal.pem' --exclude '*' "$from" "$to" \
        || ! "${copy[@]}" --ignore-existing --exclude .lock --exclude '.tmp-*' --exclude 'head.json*' --exclude 'terminal.p*' --exclude '*.minisig' "$from" "$to"; then
        echo "copy-records: could not copy $terminal from $host; the other terminals are still copied and checked" >&2
        failed+=("$terminal")
        continue
    fi
    # Signatures only for records the office holds: a signature a crash left
    # without its record would otherwise stand for good beside the record
    # written later in its place.
    list=$(mktemp)
    (cd "$to" && find . -path './[0-9]*/*.json' -type f | while read -r record; do
        [ -e "$record.minisig" ] || printf '%s.minisig\n' "${record#./}"
    done) > "$list"
    if [ -s "$list" ] && ! "${copy[@]}" --files-from="$list" "$from" "$to"; then
        echo "copy-records: could not copy the signatures of $terminal from $host" >&2
        failed+=("$terminal")
    fi
    rm -f "$list"
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
status=0
kiosk verify "$office/records" "${keys[@]}" --witness "$office/witness.log" --config /dev/null/none || status=$?
if [ ${#failed[@]} -gt 0 ]; then
    echo "copy-records: not copied this time: ${failed[*]} (what the office already held was checked)" >&2
    [ $status -ne 0 ] || status=1
fi
exit $status
