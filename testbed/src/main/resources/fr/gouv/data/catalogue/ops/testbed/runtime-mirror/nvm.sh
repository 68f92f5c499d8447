# catalogue-ops test stand-in for nvm (nvm.sh). nvm's own source cannot be fetched on the test
# machine, so the tests serve this clone instead: `nvm install V` as nvm does it for a binary
# release: $NVM_NODEJS_ORG_MIRROR/V/SHASUMS256.txt and node-V-linux-x64.tar.gz, checksum checked,
# unpacked into $NVM_DIR/versions/node/V, the first install becoming the default alias.
NVM_DIR="${NVM_DIR:-$HOME/.nvm}"
nvm() {
  case "${1:-}" in
    --version) echo "0.39.1" ;;
    install)
      local v="$2" mirror="${NVM_NODEJS_ORG_MIRROR:-}" file dest tmp rc
      case "$v" in v*) ;; *) v="v$v" ;; esac
      [ -n "$mirror" ] || { echo "nvm (test stand-in): set NVM_NODEJS_ORG_MIRROR" >&2; return 1; }
      file="node-$v-linux-x64.tar.gz"
      dest="$NVM_DIR/versions/node/$v"
      if [ -x "$dest/bin/node" ]; then echo "$v is already installed."; return 0; fi
      tmp="$(mktemp -d)" || return 1
      echo "Downloading and installing node $v..."
      curl -fsSL -o "$tmp/SHASUMS256.txt" "$mirror/$v/SHASUMS256.txt" \
        && curl -fsSL -o "$tmp/$file" "$mirror/$v/$file" \
        && (cd "$tmp" && grep "  $file\$" SHASUMS256.txt | sha256sum -c --quiet -) \
        && mkdir -p "$dest.partial" && tar -xzf "$tmp/$file" -C "$dest.partial" --strip-components 1 \
        && mv "$dest.partial" "$dest"
      rc=$?
      rm -rf "$tmp" "$dest.partial"
      [ "$rc" -eq 0 ] || { echo "nvm: cannot install node $v from $mirror" >&2; return 1; }
      if [ ! -e "$NVM_DIR/alias/default" ]; then mkdir -p "$NVM_DIR/alias" && echo "$v" >"$NVM_DIR/alias/default"; fi
      echo "Now using node $v" ;;
    *) echo "nvm (test stand-in): ${1:-}: not a command of this stand-in" >&2; return 127 ;;
  esac
}
