#!/usr/bin/env bash
# Prints the body of the plan job's pull-request comment, and reads markers and checksums. The
# body always starts with the plan marker, so each run replaces the comment of the run before: a
# failed run replaces the old plan with the failure, and the comment never shows a plan that is
# no longer true. With an environment (ENV) the marker names it, `<!-- miyabi-guild:plan:ENV -->`,
# so the comments of two environments never replace each other; without one (no environments,
# or all of them in one plan) it is `<!-- miyabi-guild:plan -->`.
#
#   comment.sh planned REPORT        the plan's Markdown, cut to fit a comment when it is too long
#   comment.sh failed ERRORS [ENV]   what the failed step printed on stderr, in a fenced block
#   comment.sh skipped [ENV]         the pull request no longer changes the server files
#   comment.sh marker plan|drift [ENV]  the first line of the plan comment or the drift issue
#   comment.sh checksum FILE [ENV]   the plan checksum that FILE (a plan or a comment) shows: the
#                                    one of environment ENV (`<!-- miyabi-guild:checksum:ENV …`),
#                                    or, without ENV, of a plan without environments
#   comment.sh checksums FILE        one line `ENV CHECKSUM` per environment FILE shows
#
# Environment: STEP (the failed command, for `failed`), RUN_URL (a link to the run),
# MIYABI_COMMENT_LIMIT (bytes, default 60000: GitHub refuses comments over 65,536 characters).
set -euo pipefail

limit=${MIYABI_COMMENT_LIMIT:-60000}
run=${RUN_URL:-the run}
[ -n "${RUN_URL:-}" ] && run="[the run]($RUN_URL)"

# The marker of a plan comment or drift issue ($1), for environment $2 (empty: none).
marker() {
  local env=${2:-}
  if [ -z "$env" ]; then
    printf '<!-- miyabi-guild:%s -->\n' "$1"
  elif [[ $env =~ ^[a-z0-9_-]{1,32}$ ]]; then
    printf '<!-- miyabi-guild:%s:%s -->\n' "$1" "$env"
  else
    echo "comment.sh: '$env' is not an environment name (lowercase letters, digits, '-' and '_')" >&2
    exit 1
  fi
}

case "${1:-}" in
  planned)
    report=$2
    size=$(wc -c < "$report" | tr -d ' ')
    if [ "$size" -le "$limit" ]; then
      cat "$report"
      exit 0
    fi
    # Whole lines only (a cut line could split a character), then close what the cut left open.
    kept=$(head -c "$limit" "$report" | sed '$d')
    printf '%s\n' "$kept"
    fences=$(printf '%s\n' "$kept" | grep -c '^ *```' || true)
    if [ $((fences % 2)) = 1 ]; then printf '```\n'; fi
    opened=$(printf '%s\n' "$kept" | grep -c '<details' || true)
    closed=$(printf '%s\n' "$kept" | grep -c '</details>' || true)
    while [ "$opened" -gt "$closed" ]; do
      printf '</details>\n'
      closed=$((closed + 1))
    done
    printf '\n> [!NOTE]\n'
    printf '> **The plan is cut here**: at %s bytes it is too long for a comment. The full plan is\n' "$size"
    # shellcheck disable=SC2016 # backquotes are Markdown here
    printf '> in the step summary of %s and in its artifact `miyabi-guild-plan`.\n\n' "$run"
    # The checksums close the plan; the apply job reads them from this comment.
    if grep -q '<!-- miyabi-guild:checksum:' "$report"; then
      # One per environment, named: the cut may have dropped the sections that named them.
      sed -n 's/.*\(<!-- miyabi-guild:checksum:\([a-z0-9_-]*\) \([0-9a-f]\{64\}\) -->\).*/\2 \3 \1/p' "$report" |
        while read -r env sum line; do
          # shellcheck disable=SC2016 # backquotes are Markdown here
          printf 'Plan checksum of `%s`: `%s`\n%s\n' "$env" "$sum" "$line"
        done
    else
      grep -e '<!-- miyabi-guild:checksum ' -e 'Plan checksum:' "$report" || true
    fi
    ;;
  failed)
    errors=$2
    marker plan "${3:-}"
    # shellcheck disable=SC2016 # backquotes are Markdown here
    printf '### miyabi-guild: `%s` failed\n\n' "${STEP:-miyabi-guild}"
    printf 'There is no plan for this commit. What it printed:\n\n~~~text\n'
    if [ -s "$errors" ]; then
      head -c $((limit - 1000)) "$errors" | awk 1
    else
      printf '(nothing on stderr: see the run log)\n'
    fi
    printf '~~~\n\nFix the file and push again; the log of %s has the details.\n' "$run"
    ;;
  skipped)
    marker plan "${2:-}"
    printf '### miyabi-guild: nothing to plan\n\n'
    printf 'This pull request no longer changes the server files, so it changes nothing on Discord.\n'
    ;;
  marker)
    case "${2:-}" in
      plan | drift) marker "$2" "${3:-}" ;;
      *)
        echo "comment.sh marker: plan or drift, not '${2:-}'" >&2
        exit 1
        ;;
    esac
    ;;
  checksum)
    env=${3:-}
    if [ -n "$env" ]; then
      marker plan "$env" > /dev/null # the name check
      sed -n "s/.*<!-- miyabi-guild:checksum:$env \\([0-9a-f]\\{64\\}\\) -->.*/\\1/p" "$2" | tail -n 1
    else
      sed -n 's/.*<!-- miyabi-guild:checksum \([0-9a-f]\{64\}\) -->.*/\1/p' "$2" | tail -n 1
    fi
    ;;
  checksums)
    sed -n 's/.*<!-- miyabi-guild:checksum:\([a-z0-9_-]*\) \([0-9a-f]\{64\}\) -->.*/\1 \2/p' "$2" |
      awk '!seen[$1]++' # a cut comment repeats them at its end
    ;;
  *)
    echo "usage: comment.sh planned REPORT | failed ERRORS [ENV] | skipped [ENV] | marker plan|drift [ENV]" >&2
    echo "       | checksum FILE [ENV] | checksums FILE" >&2
    exit 1
    ;;
esac
