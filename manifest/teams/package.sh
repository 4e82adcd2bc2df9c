#!/usr/bin/env bash
# Writes the Teams app package (manifest.json + icons at the zip root) with the Azure Bot's App ID filled in.
#   manifest/teams/package.sh <bot-app-id> [version] [output.zip]
# The App ID is the Microsoft App ID of the Azure Bot registration (Teams:AppId). It is used as the bot id and as
# the Teams app id. Output defaults to manifest/teams/themodel-teams-<version>.zip (zips are gitignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_id="${1:-}"
version="${2:-1.0.0}"
out="${3:-$here/themodel-teams-$version.zip}"
if [[ ! "$app_id" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
  echo "usage: $0 <bot-app-id (GUID)> [version] [output.zip]" >&2
  exit 2
fi
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "version must be semver x.y.z, got '$version'" >&2
  exit 2
fi
python3 - "$here" "$app_id" "$version" "$out" <<'PY'
import json, sys, zipfile
here, app_id, version, out = sys.argv[1:5]
with open(f"{here}/manifest.json", encoding="utf-8") as f:
    manifest = json.load(f)
manifest["id"] = app_id
manifest["version"] = version
for bot in manifest["bots"]:
    bot["botId"] = app_id
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    z.write(f"{here}/{manifest['icons']['color']}", manifest["icons"]["color"])
    z.write(f"{here}/{manifest['icons']['outline']}", manifest["icons"]["outline"])
print(out)
PY
