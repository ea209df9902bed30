#!/bin/sh
exec "${CM_BUILD:?}/tests/pages"
