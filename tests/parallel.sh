#!/bin/sh
echo "test-parallel: TODO"
