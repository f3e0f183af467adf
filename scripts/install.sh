#!/usr/bin/env bash
# Builds paramcount in release mode and installs the binary, its man page and shell completions.
#   scripts/install.sh                 # into ~/.local (bin/, share/man/man1, share/…/completions)
#   PREFIX=/usr/local scripts/install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${PREFIX:-$HOME/.local}"

swift build -c release --product paramcount
bin="$(swift build -c release --show-bin-path)/paramcount"
install -d "$prefix/bin"
install -m 0755 "$bin" "$prefix/bin/paramcount"
echo "installed $prefix/bin/paramcount"

# The man page comes from the command's own help text (swift-argument-parser's plugin).
if swift package plugin --allow-writing-to-package-directory generate-manual --output-directory .build/man >/dev/null 2>&1; then
  install -d "$prefix/share/man/man1"
  install -m 0644 .build/man/paramcount.1 "$prefix/share/man/man1/paramcount.1"
  echo "installed $prefix/share/man/man1/paramcount.1"
else
  echo "man page skipped: the generate-manual plugin did not run" >&2
fi

install -d "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
"$bin" --generate-completion-script bash > "$prefix/share/bash-completion/completions/paramcount"
"$bin" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_paramcount"
"$bin" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/paramcount.fish"
echo "installed shell completions for bash, zsh and fish under $prefix/share"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "note: $prefix/bin is not on your PATH" ;; esac
