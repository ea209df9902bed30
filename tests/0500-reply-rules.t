#!/bin/sh
# lib/reply's rules file, templates and their helpers, and the drafts' checks
# per platform and idempotency key (tests/unit/reply.c).
exec "${CM_BUILD:?}/tests/reply"
