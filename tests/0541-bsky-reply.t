#!/bin/sh
exec "${CM_BUILD:?}/tests/bsky_reply"
