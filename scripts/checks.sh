# Sourced by the shell checkers (scripts/test-toolchain.sh, alerting/test/routes.sh,
# collector/test/validate.sh): one way to count and print results, and the closing
# "name: N passed, M failed" line that scripts/test.sh adds to its totals.
# Sets no shell options.
checks_passed=0
checks_failed=0

# check_result OK NAME [DETAIL]: records a result decided by the caller (OK is true or false).
check_result() {
  if [[ $1 == true ]]; then
    checks_passed=$((checks_passed + 1))
    echo "ok    $2"
  else
    checks_failed=$((checks_failed + 1))
    echo "FAIL  $2"
    [[ -z ${3:-} ]] || sed 's/^/      /' <<<"$3"
  fi
}

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
  local what="$1"
  shift
  if "$@"; then check_result true "$what"; else check_result false "$what"; fi
}

# checks_summary NAME: prints the closing line; fails when any check failed.
checks_summary() {
  echo "$1: $checks_passed passed, $checks_failed failed"
  [[ $checks_failed -eq 0 ]]
}
