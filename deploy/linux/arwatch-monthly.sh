#!/bin/sh
# The monthly arwatch run, for cron or the systemd timer beside this file (docs/scheduling.md).
#
#   ARWATCH=/opt/arwatch/arwatch ARWATCH_CONFIG=/srv/ar/arwatch.toml ARWATCH_LOG=/var/log/arwatch.log \
#     /opt/arwatch/arwatch-monthly.sh
#
# Each run appends to the log; the script exits with arwatch's exit code (0 done, 3 done with
# rows rejected or warnings, 4 input error, 5 output error, 6 alerts not sent), so cron mails
# and systemd marks a failed month.
here=$(dirname "$0")
ARWATCH=${ARWATCH:-$here/arwatch}
ARWATCH_CONFIG=${ARWATCH_CONFIG:-$here/sample_data/arwatch.toml}
ARWATCH_LOG=${ARWATCH_LOG:-$here/arwatch-monthly.log}
# A scheduled run opens no PDF viewer.
export ARWATCH_NO_OPEN=1
echo "==== $(date -u '+%Y-%m-%d %H:%M:%S') arwatch run --config $ARWATCH_CONFIG" >>"$ARWATCH_LOG"
"$ARWATCH" run --config "$ARWATCH_CONFIG" >>"$ARWATCH_LOG" 2>&1
code=$?
echo "==== exit code $code" >>"$ARWATCH_LOG"
exit $code
