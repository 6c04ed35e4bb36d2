#!/usr/bin/env python3
"""Runs a command (stdin/stdout passed through) and prints its peak RSS in KiB to fd 3's path.

Usage: maxrss.py OUTFILE cmd args...   The child's exit status is propagated."""
import os
import resource
import subprocess
import sys

out_path = sys.argv[1]
status = subprocess.call(sys.argv[2:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(out_path, "w") as f:
    f.write(str(peak))
sys.exit(status)
