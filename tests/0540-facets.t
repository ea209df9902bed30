#!/bin/sh
exec "${CM_BUILD:?}/tests/facets"
