#!/usr/bin/env bash
# Refresh the vendored NL Design System CSS (Utrecht component library and design tokens)
# from the npm registry. Usage: scripts/refresh-vendor.sh [COMPONENTS_VERSION] [TOKENS_VERSION]
set -euo pipefail
components="${1:-9}"
tokens="${2:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/tracker/static/vendor/utrecht"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@utrecht/component-library-css@$components" "@utrecht/design-tokens@$tokens" >/dev/null
mkdir -p components tokens
tar xzf utrecht-component-library-css-*.tgz -C components
tar xzf utrecht-design-tokens-*.tgz -C tokens
rm -rf "$dest"
mkdir -p "$dest/component-library-css" "$dest/design-tokens"
cp components/package/dist/index.css components/package/LICENSE.md components/package/package.json "$dest/component-library-css/"
cp tokens/package/dist/index.css tokens/package/LICENSE.md tokens/package/package.json "$dest/design-tokens/"
echo "Vendored into $dest:"
grep -h '"version"' "$dest"/*/package.json
