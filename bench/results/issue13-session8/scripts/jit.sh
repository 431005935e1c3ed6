#!/usr/bin/env bash
cd /tmp/s8
for i in 1 2 3; do
  ./drv.sh D-$i "" --runs=1 --rates=200,400
  ./drv.sh I-$i "-XX:MaxInlineLevel=9 -XX:InlineSmallCode=1000" --runs=1 --rates=200,400
  ./drv.sh S-$i "-XX:MaxInlineLevel=9 -XX:InlineSmallCode=500 -XX:FreqInlineSize=100" --runs=1 --rates=200,400
done
echo DONE
