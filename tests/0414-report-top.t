#!/bin/sh
exec "${CM_BUILD:?}/tests/report_top"
