#!/bin/sh
# lib/score/{lexicon,tokenize,sentiment}.c: lexicon parser, rules, the score
# set, ordering pairs.
cd "$(dirname "$0")/.." && exec "${CM_BUILD:?}/tests/sentiment"
