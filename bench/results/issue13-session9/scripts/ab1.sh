#!/usr/bin/env bash
# interleaved A/B: base vs async claims
for i in 1 2 3; do
  for v in base async; do
    HOME_RX=/tmp/s9/$v RES=res-ab1 flock /tmp/rxon-build.lock ./drv.sh $v-$i "" --runs=1 --rates=200,400
  done
done
