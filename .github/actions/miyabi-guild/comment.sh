#!/usr/bin/env bash
# Prints the body of the plan job's pull-request comment. The body always starts with the marker
# `<!-- miyabi-guild:plan -->`, so each run replaces the comment of the run before: a failed run
# replaces the old plan with the failure, and the comment never shows a plan that is no longer
# true.
#
#   comment.sh planned REPORT   the plan's Markdown, cut to fit a comment when it is too long
#   comment.sh failed ERRORS    what the failed step printed on stderr, in a fenced block
#   comment.sh skipped          the pull request no longer changes the server files
#   comment.sh checksum FILE    prints the plan checksum that FILE (a plan or a comment) shows
#
# Environment: STEP (the failed command, for `failed`), RUN_URL (a link to the run),
# MIYABI_COMMENT_LIMIT (bytes, default 60000: GitHub refuses comments over 65,536 characters).
set -euo pipefail

marker='<!-- miyabi-guild:plan -->'
limit=${MIYABI_COMMENT_LIMIT:-60000}
run=${RUN_URL:-the run}
[ -n "${RUN_URL:-}" ] && run="[the run]($RUN_URL)"

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
    printf '> in the step summary of %s and in its artifact `miyabi-guild-plan` (plan.md, plan.json).\n\n' "$run"
    # The checksum closes the plan; the apply job reads it from this comment.
    grep -e '<!-- miyabi-guild:checksum ' -e 'Plan checksum:' "$report" || true
    ;;
  failed)
    errors=$2
    # shellcheck disable=SC2016 # backquotes are Markdown here
    printf '%s\n### miyabi-guild: `%s` failed\n\n' "$marker" "${STEP:-miyabi-guild}"
    printf 'There is no plan for this commit. What it printed:\n\n~~~text\n'
    if [ -s "$errors" ]; then
      head -c $((limit - 1000)) "$errors" | awk 1
    else
      printf '(nothing on stderr: see the run log)\n'
    fi
    printf '~~~\n\nFix the file and push again; the log of %s has the details.\n' "$run"
    ;;
  skipped)
    printf '%s\n### miyabi-guild: nothing to plan\n\n' "$marker"
    printf 'This pull request no longer changes the server files, so it changes nothing on Discord.\n'
    ;;
  checksum)
    sed -n 's/.*<!-- miyabi-guild:checksum \([0-9a-f]\{64\}\) -->.*/\1/p' "$2" | tail -n 1
    ;;
  *)
    echo "usage: comment.sh planned REPORT | failed ERRORS | skipped | checksum FILE" >&2
    exit 1
    ;;
esac
