#!/bin/sh
# lib/score/sentiment.c: lexicon parser, rules, the score set, ordering pairs.
cd "$(dirname "$0")/.." && exec "${CM_BUILD:?}/tests/sentiment"
