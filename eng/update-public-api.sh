#!/usr/bin/env bash
# Rewrites each packable project's PublicAPI.Unshipped.txt from what the build reports as its public API.
# Run it after changing the public surface, then review the diff: every line is a public promise.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/*/; do
  [[ -f "$project/PublicAPI.Unshipped.txt" ]] || continue
  unshipped="$project/PublicAPI.Unshipped.txt"
  printf '#nullable enable\n' > "$unshipped"
  log=$(mktemp)
  dotnet build "$project" --no-incremental -p:TreatWarningsAsErrors=false > "$log" 2>&1 || true
  # Only this project's symbols: a rebuild also reports those of the projects it references.
  csproj="$(cd "$project" && pwd)/$(basename "$project").csproj"
  grep -F "[$csproj]" "$log" | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u >> "$unshipped" || true
  rm -f "$log"
  echo "$unshipped: $(($(wc -l < "$unshipped") - 1)) symbols"
done
