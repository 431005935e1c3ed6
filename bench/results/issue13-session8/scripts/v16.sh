#!/usr/bin/env bash
cd /tmp/s8
S="-XX:MaxInlineLevel=9 -XX:InlineSmallCode=500 -XX:FreqInlineSize=100"
for i in 1 2 3; do
  HOME_RX=/work/ci-check ./drv.sh v15-$i "$S" --runs=1 --rates=200
  HOME_RX=/tmp/s8/N ./drv.sh v16-$i "$S" --runs=1 --rates=200
done
echo DONE
