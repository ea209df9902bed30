#!/bin/bash
# Every program reads the config file before it does anything
# (cm-config(5)): a broken one, or one CM_CONFIG names that is missing,
# is status 2 with the file and line named, and nothing is written.
. "$(dirname "$0")/lib.sh"

cm-fetch --end $DEMO_END demo:5 > d
printf '[score]\nnegativity = 1\n[account acme\nplatform = x\n' > bad.conf
for p in "cm-fetch demo:1" "cm-filter d" "cm-score d" "cm-report -f json d"; do
	ok "${p%% *}: a broken CM_CONFIG is status 2, nothing written" eval '
		CM_CONFIG=$SCRATCH/bad.conf $p > o 2> err; [ $? -eq 2 ] && lines o 0 &&
		contains err "${p%% *}: $SCRATCH/bad.conf:3: " && lines err 1'
	ok "${p%% *}: a missing CM_CONFIG is status 2" eval '
		CM_CONFIG=$SCRATCH/nosuch.conf $p > o 2> err; [ $? -eq 2 ] && lines o 0 && contains err nosuch.conf'
	ok "${p%% *}: a missing default config is no error" eval '$p > o && [ -s o ]'
done

done_testing
