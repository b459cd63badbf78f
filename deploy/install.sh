#!/usr/bin/env bash
# Turns a Debian machine into a conduct kiosk terminal on tty1.
# Run as root from the repository:  deploy/install.sh [tty1]
set -euo pipefail
cd "$(dirname "$0")/.."
tty=${1:-tty1}
home=/srv/kiosk

# A self-contained binary: the Swift runtime, the C++ runtime and ncurses
# linked in, glibc shared (updated with the system); exporting no symbols.
# It stays position-independent, so its code is at a random address in
# every run: -no-pie would start it ~0.5 ms sooner at the price of that
# protection (README, Benchmarks; scripts/link-flags says why each flag).
# Captured first, so that set -e stops here if the archives are missing.
flags=$(scripts/link-flags .build/static-libs)
mapfile -t link <<< "$flags"
swift build -c release --static-swift-stdlib --product kiosk "${link[@]}"
install -m 0755 .build/release/kiosk /usr/local/bin/kiosk

# Manual pages (`man kiosk`, `man kiosk.verify`, ...) and shell completion,
# both from the commands' own help (swift-argument-parser).
swift package generate-manual --multi-page >/dev/null
install -d /usr/local/share/man/man1
install -m 0644 .build/plugins/GenerateManual/outputs/kiosk/*.1 /usr/local/share/man/man1/
install -d /usr/share/bash-completion/completions /usr/share/zsh/vendor-completions /usr/share/fish/vendor_completions.d
/usr/local/bin/kiosk --generate-completion-script bash > /usr/share/bash-completion/completions/kiosk
/usr/local/bin/kiosk --generate-completion-script zsh > /usr/share/zsh/vendor-completions/_kiosk
/usr/local/bin/kiosk --generate-completion-script fish > /usr/share/fish/vendor_completions.d/kiosk.fish

# A dedicated user with no password and no login shell.
id kiosk >/dev/null 2>&1 || useradd --system --home-dir "$home" --shell /usr/sbin/nologin kiosk

# The content is read-only to the kiosk; its key and kiosk.conf (with the
# PIN's hash) are readable by it alone; records and log are its to write.
install -d -o root -g kiosk -m 0750 "$home"
install -d -o root -g kiosk -m 0750 "$home/content"
install -o root -g kiosk -m 0640 content/*.md "$home/content/"
install -d -o kiosk -g kiosk -m 0700 "$home/keys"
install -d -o kiosk -g kiosk -m 0750 "$home/records" "$home/log"
install -d -o kiosk -g kiosk -m 0700 "$home/recovery"
install -m 0644 README.md "$home/README.md"
if [ ! -e "$home/kiosk.conf" ]; then
    sed -e 's|^key = .*|key = "keys/terminal.key"|' -e 's|^log = .*|log = "log/kiosk.log"|' kiosk.conf > "$home/kiosk.conf"
fi
chown kiosk:kiosk "$home/kiosk.conf"
chmod 0600 "$home/kiosk.conf"

# The service sets LANG=C.UTF-8, which Debian always has.
runuser -u kiosk -- /usr/local/bin/kiosk lint --config "$home/kiosk.conf"
if [ ! -e "$home/keys/terminal.key" ]; then
    runuser -u kiosk -- /usr/local/bin/kiosk keygen --config "$home/kiosk.conf"
fi

# A large console font for the kiosk's tty (Terminus Bold 32), set by the
# service before each start. Without the packages the kiosk still starts.
if ! dpkg -s kbd console-setup-linux >/dev/null 2>&1; then
    apt-get install -y --no-install-recommends kbd console-setup-linux \
        || echo "install: could not install kbd and console-setup-linux: the kiosk will use the console's default font"
fi
install -d /usr/local/lib/conduct-kiosk
install -m 0755 deploy/console-font.sh /usr/local/lib/conduct-kiosk/console-font

install -m 0644 deploy/conduct-kiosk@.service /etc/systemd/system/conduct-kiosk@.service
systemctl daemon-reload
systemctl disable --now "getty@$tty.service" || true
systemctl enable --now "conduct-kiosk@$tty.service"
echo "install: the kiosk runs on $tty. Set the admin PIN now: runuser -u kiosk -- kiosk set-pin --config $home/kiosk.conf"
