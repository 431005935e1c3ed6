#!/usr/bin/env bash
# perf of the Debian PostgreSQL during a driver round: prof.sh plus perf record of every postgres process
home=$1; label=$2
( sleep 25; perf record -F 499 -g -o /tmp/s9/perf-$label.data -p "$(pgrep -d, -f 'postgres')" -- sleep 30 >/dev/null 2>&1 ) &
./prof.sh "$home" "$label"
wait
perf report -i /tmp/s9/perf-$label.data --no-children --sort symbol --stdio 2>/dev/null | grep -E "^ +[0-9]" | head -45 > /tmp/s9/perf-$label-self.txt
