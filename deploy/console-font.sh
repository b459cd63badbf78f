#!/bin/sh
# Sets a large console font on the kiosk's virtual console before the kiosk
# starts: Terminus Bold 32 (16 x 32 pixels a cell; on a 1920 x 1080 screen,
# 120 x 33 cells), for people who cannot read the console's small default font.
#
# Run by conduct-kiosk@.service as root (ExecStartPre=-+...). It never stops
# the kiosk from starting: a terminal that is not a virtual console (ssh, a
# serial line), a missing setfont or font is said in the journal and skipped.
#
# Usage: console-font TTY [FONT]        e.g. console-font tty1
# FONT, or KIOSK_CONSOLE_FONT in /etc/default/conduct-kiosk, picks another
# font from /usr/share/consolefonts (Uni3-TerminusBold28x14.psf.gz is smaller).
tty=${1:-}
font=${2:-${KIOSK_CONSOLE_FONT:-/usr/share/consolefonts/Uni3-TerminusBold32x16.psf.gz}}

case "$tty" in
    tty[1-9] | tty[1-5][0-9] | tty6[0-3]) ;;
    *)
        echo "console-font: '$tty' is not a virtual console (tty1 to tty63): the font is left as it is"
        exit 0
        ;;
esac
if [ ! -c "/dev/$tty" ]; then
    echo "console-font: /dev/$tty is not a terminal device here: the font is left as it is"
    exit 0
fi
if ! command -v setfont >/dev/null 2>&1; then
    echo "console-font: setfont is not installed (apt install kbd): the font on $tty is left as it is"
    exit 0
fi
if [ ! -r "$font" ]; then
    echo "console-font: $font is missing (apt install console-setup-linux, or set KIOSK_CONSOLE_FONT): the font on $tty is left as it is"
    exit 0
fi
if setfont -C "/dev/$tty" "$font"; then
    echo "console-font: $tty uses $font"
else
    echo "console-font: setfont could not load $font on $tty: the font is left as it is"
fi
exit 0
