#!/bin/sh
exec "${CM_BUILD:?}/tests/reply_adapters"
